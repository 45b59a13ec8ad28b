# Prints the raw JSON of the top-level "value" member of the JSON object on stdin ({} when absent).
# A small scanner that tracks nesting and strings, so values holding braces, commas or quotes survive.
{ text = text (NR > 1 ? "\n" : "") $0 }
END {
  n = length(text); depth = 0; instr = 0; esc = 0; invalue = 0; keystart = 0; key = ""; start = 0
  for (i = 1; i <= n; i++) {
    c = substr(text, i, 1)
    if (instr) {
      if (esc) esc = 0
      else if (c == "\\") esc = 1
      else if (c == "\"") {
        instr = 0
        if (keystart) { key = substr(text, keystart, i - keystart); keystart = 0 }
      }
      continue
    }
    if (c == "\"") { instr = 1; if (depth == 1 && !invalue) keystart = i + 1; continue }
    if (c == "{" || c == "[") { depth++; continue }
    if (c == "}" || c == "]") {
      depth--
      if (depth == 0 && start) { emit(substr(text, start, i - start)) }
      continue
    }
    if (depth == 1 && c == ":") { invalue = 1; if (key == "value") start = i + 1; continue }
    if (depth == 1 && c == ",") {
      if (start) emit(substr(text, start, i - start))
      invalue = 0; key = ""
    }
  }
  print "{}"
}
function emit(v) {
  gsub(/^[ \t\r\n]+|[ \t\r\n]+$/, "", v)
  print (v == "" ? "{}" : v)
  exit
}
