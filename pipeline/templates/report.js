// The report's table: filters, search, sort and pages over the rows in #data. Every text is
// set with textContent, never parsed as HTML, so a reply holding markup shows as text.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  const columns = data.columns, rows = data.rows;
  const PAGE = 100, FOLD = 300;
  const $ = (id) => document.getElementById(id);
  const statusBox = $("status"), reasonBox = $("reason"), searchBox = $("search"),
        sortBox = $("sort"), matches = $("matches"), pageLabel = $("page"),
        thead = document.querySelector("#rows thead"),
        tbody = document.querySelector("#rows tbody");
  let shown = rows, page = 0;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  const head = el("tr");
  head.appendChild(el("th", "", data.id_label));
  for (const c of columns) head.appendChild(el("th", c.kind, c.label));
  thead.appendChild(head);
  for (const r of data.reasons) {
    const o = el("option", "", r); o.value = r; reasonBox.appendChild(o);
  }

  const searchText = (row) => {
    if (row._q === undefined) {
      const parts = [row.id];
      for (const v of row.cells) {
        if (v === null || v === undefined) continue;
        parts.push(Array.isArray(v) ? v.join(" ") : String(v));
      }
      row._q = parts.join("\n").toLowerCase();
    }
    return row._q;
  };

  const cell = (column, value) => {
    const td = el("td", column.kind);
    if (value === null || value === undefined || value === "") return td;
    if (column.kind === "status") {
      const word = String(value).split(" ")[0];
      td.appendChild(el("span", "status status-" + word, value));
    } else if (column.kind === "flags") {
      if (value.length) {
        const ul = el("ul", "flags");
        for (const f of value) ul.appendChild(el("li", "", f));
        td.appendChild(ul);
      }
    } else if (column.kind === "cost") {
      td.textContent = Number(value).toFixed(6);
    } else {
      const text = String(value);
      if (text.length > FOLD) {
        const box = el("div", "fold", text);
        box.title = "click to unfold";
        box.addEventListener("click", () => box.classList.remove("fold"), { once: true });
        td.appendChild(box);
      } else {
        td.textContent = text;
      }
    }
    return td;
  };

  const render = () => {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const start = page * PAGE, slice = shown.slice(start, start + PAGE);
    const frag = document.createDocumentFragment();
    for (const row of slice) {
      const tr = el("tr", row.st.join(" ").replace("not done", "not-done"));
      tr.dataset.id = row.id;
      tr.appendChild(el("td", "id", row.id));
      columns.forEach((c, i) => tr.appendChild(cell(c, row.cells[i])));
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    matches.textContent = shown.length === rows.length
      ? rows.length + " rows" : shown.length + " of " + rows.length + " rows";
    pageLabel.textContent = shown.length
      ? (start + 1) + "–" + (start + slice.length) + " (page " + (page + 1) + " of " + pages + ")"
      : "";
    $("prev").disabled = page === 0;
    $("next").disabled = page >= pages - 1;
  };

  const apply = () => {
    const status = statusBox.value, reason = reasonBox.value,
          query = searchBox.value.trim().toLowerCase(), sort = sortBox.value;
    let out = rows.filter((row) =>
      (!status || row.st.includes(status)) &&
      (!reason || row.fr.includes(reason)) &&
      (!query || searchText(row).includes(query)));
    if (sort) {
      const [key, dir] = sort.split("-");
      const field = key === "cost" ? "c" : "len", sign = dir === "desc" ? -1 : 1;
      out = out.slice().sort((a, b) => sign * (a[field] - b[field]));
    }
    shown = out; page = 0; render();
  };

  let timer = 0;
  searchBox.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
  for (const box of [statusBox, reasonBox, sortBox]) box.addEventListener("change", apply);
  $("prev").addEventListener("click", () => { page -= 1; render(); });
  $("next").addEventListener("click", () => { page += 1; render(); });
  render();
  document.body.dataset.ready = "1";
})();
