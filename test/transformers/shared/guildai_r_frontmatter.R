# guildai-r's own frontmatter reading, for comparison: the statements of its
# r_script_guild_data() (R/op.R) that find the leading `#|` block and parse it, taken from
# the function's body and evaluated as they are, on each script named after REFERENCE_DIR.
#
# Usage: Rscript guildai_r_frontmatter.R REFERENCE_DIR SCRIPT...
# Prints one JSON object per script, a line each: {"found": false} or {"found": true,
# "data": ...} or {"error": "..."}. Needs the yaml package (Debian: r-cran-yaml).
args <- commandArgs(TRUE)
ref <- args[1L]

# The two helpers guildai-r takes from rlang.
`%||%` <- function(x, y) if (is.null(x)) y else x
is_string <- function(x) is.character(x) && length(x) == 1L && !is.na(x)
for (f in c("utils.R", "yaml.R", "op.R"))
  sys.source(file.path(ref, "guildai-r", "R", f), envir = globalenv())

stmts <- as.list(body(r_script_guild_data))[-1L]
is_call_to <- function(s, op) is.call(s) && identical(s[[1L]], as.name(op))
is_anno_stmt <- Find(function(s) is_call_to(s, "<-") && identical(s[[2L]], as.name("is_anno")), stmts)
if_stmt <- Find(function(s) is_call_to(s, "if") && "is_anno" %in% all.names(s[[2L]]), stmts)
# anno_start <- ...; anno_end <- ...; frontmatter <- parse_yaml_anno(...)
frontmatter_stmts <- as.list(if_stmt[[3L]])[2:4]

json_string <- function(x) {
  x <- gsub("\\", "\\\\", x, fixed = TRUE)
  x <- gsub("\"", "\\\"", x, fixed = TRUE)
  x <- gsub("\n", "\\n", x, fixed = TRUE)
  x <- gsub("\t", "\\t", x, fixed = TRUE)
  paste0("\"", x, "\"")
}

to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    items <- vapply(x, to_json, "")
    if (!is.null(names(x)))
      return(paste0("{", paste0(json_string(names(x)), ":", items, collapse = ","), "}"))
    return(paste0("[", paste(items, collapse = ","), "]"))
  }
  one <- function(v) {
    if (is.na(v)) return("null")
    if (is.logical(v)) return(if (v) "true" else "false")
    if (is.numeric(v)) {
      if (is.infinite(v)) return(if (v > 0) "\"Infinity\"" else "\"-Infinity\"")
      return(format(v, digits = 17))
    }
    json_string(as.character(v))
  }
  if (length(x) == 1L) return(one(x))
  paste0("[", paste(vapply(x, one, ""), collapse = ","), "]")
}

for (file in args[-1L]) {
  out <- tryCatch({
    env <- new.env()
    text <- readLines(file, warn = FALSE)
    if (!length(text)) text <- ""
    env$text <- text
    eval(is_anno_stmt, env)
    if (isTRUE(eval(if_stmt[[2L]], env))) {
      for (s in frontmatter_stmts) eval(s, env)
      paste0("{\"found\":true,\"data\":", to_json(unclass(env$frontmatter)), "}")
    } else "{\"found\":false}"
  }, error = function(e) paste0("{\"error\":", json_string(conditionMessage(e)), "}"))
  cat(out, "\n", sep = "")
}
