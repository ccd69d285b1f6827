# Builds llama-cpp-python with only the libraries its Python binding loads (libllama, ggml).
#
# Given to its build as CMAKE_ARGS="... -DCMAKE_PROJECT_llama.cpp_INCLUDE=<this file>": CMake
# reads it right after llama.cpp's project() call. llama-cpp-python forces llama.cpp's `common`
# library ON (a cache entry set with FORCE, which -DLLAMA_BUILD_COMMON=OFF cannot undo), but
# nothing in the Python package loads it: it is installed outside the package, beside
# site-packages, with cpp-httplib built only for it; together they took about 40% of the
# build's CPU time (bench/RESULTS.md). A plain variable of the same name in llama.cpp's directory
# hides the forced cache entry there, so common, cpp-httplib and their install rule are skipped.
# Multimodal (mtmd) is left out by -DLLAVA_BUILD=OFF, llama-cpp-python's own option.
set(LLAMA_BUILD_COMMON OFF)
