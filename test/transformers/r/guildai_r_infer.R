# guildai-r's own flag inference, for comparison: infer_global_params() from its R/op.R,
# run as it is on each script named after REFERENCE_DIR.
#
# Usage: Rscript guildai_r_infer.R REFERENCE_DIR SCRIPT...
# Prints one JSON line per script: {"flags": [[name, typeof(default), default,
# description?], ...]} in guildai-r's order, or {"error": "..."}. A double is printed with 17 significant digits
# and a complex as as.character() gives it. Needs the yaml package (Debian: r-cran-yaml).
args <- commandArgs(TRUE)
ref <- args[1L]

# The two helpers guildai-r takes from rlang.
`%||%` <- function(x, y) if (is.null(x)) y else x
is_string <- function(x) is.character(x) && length(x) == 1L && !is.na(x)
for (f in c("utils.R", "yaml.R", "run.R", "op.R"))
  sys.source(file.path(ref, "guildai-r", "R", f), envir = globalenv())

json_string <- function(x) {
  codes <- utf8ToInt(enc2utf8(x))
  escape <- function(code) {
    if (code == 34L) return("\\\"")
    if (code == 92L) return("\\\\")
    if (code < 32L) return(sprintf("\\u%04x", code))
    intToUtf8(code)
  }
  paste0("\"", paste(vapply(codes, escape, ""), collapse = ""), "\"")
}

json_value <- function(v) {
  if (is.na(v)) return("null")
  switch(typeof(v),
    logical = if (v) "true" else "false",
    integer = as.character(v),
    double = if (is.infinite(v)) json_string(if (v > 0) "Inf" else "-Inf") else sprintf("%.17g", v),
    complex = json_string(as.character(v)),
    json_string(v))
}

for (file in args[-1L]) {
  out <- tryCatch({
    text <- readLines(file, warn = FALSE)
    if (!length(text)) text <- ""
    params <- infer_global_params(text)
    items <- vapply(names(params), function(name) {
      default <- params[[name]]$default
      description <- params[[name]]$description
      paste0("[", json_string(name), ",", json_string(typeof(default)), ",", json_value(default),
             if (is.null(description)) "" else paste0(",", json_string(description)), "]")
    }, "")
    paste0("{\"flags\":[", paste(items, collapse = ","), "]}")
  }, error = function(e) paste0("{\"error\":", json_string(conditionMessage(e)), "}"))
  cat(out, "\n", sep = "")
}
