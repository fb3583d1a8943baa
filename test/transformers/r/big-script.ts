/** A 10 MB script: functions with nested brackets, strings, comments, and two flags. */
export function bigScript(): string {
  const chunk = [
    'f <- function(x, y = 2) {',
    '  z <- x[[1]] %in% c(1, 2, 3)  # a comment with <- in it',
    '  if (z) { y <- y + 1 } else y <- r"(raw "string")"',
    "  `odd name` <- list(a = 1e-3, b = 'two') |> length()",
    '}',
    'lr <- 0.01; epochs = 10L',
    '',
  ].join('\n');
  return chunk.repeat(Math.ceil(10_000_000 / chunk.length));
}
