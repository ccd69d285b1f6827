"""What unattended runs need: one run of a job at a time (lock), a manifest per run, the
JSON-lines run log, `pipeline schedule`, and notifications (notify/)."""
