# The echo function: answers {"arch": "<uname -m>", "params": <params>}.
# One-shot: params in ENVIRON["PARAMS"], the answer on one stdout line.
# Action proxy (-v PROXY=1, started once per connection by the handler): one /run request body per input
# line; params are its top-level "value" member, and each answer is written as an HTTP/1.1 response
# (keep-alive: no Connection: close) and flushed at once.
BEGIN {
  if (PROXY) {
    while ((getline body) > 0) {
      result = answer(member(body, "value"))
      # busybox awk's length() counts bytes, as Content-Length must.
      printf "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", length(result), result
      fflush()
    }
  } else {
    print answer(ENVIRON["PARAMS"])
  }
  exit
}

function answer(params) {
  if (params ~ /^[ \t\r\n]*$/) params = "{}"
  return "{\"arch\":\"" ENVIRON["ARCH"] "\",\"params\":" params "}"
}

# The raw JSON text of the top-level member KEY of the object TEXT ("" when absent): a small scanner
# that tracks nesting and strings, so values holding braces, commas or quotes survive.
function member(text, key,    n, i, c, depth, instr, esc, invalue, keystart, name, start, v) {
  n = length(text)
  for (i = 1; i <= n; i++) {
    c = substr(text, i, 1)
    if (instr) {
      if (esc) esc = 0
      else if (c == "\\") esc = 1
      else if (c == "\"") {
        instr = 0
        if (keystart) { name = substr(text, keystart, i - keystart); keystart = 0 }
      }
      continue
    }
    if (c == "\"") { instr = 1; if (depth == 1 && !invalue) keystart = i + 1; continue }
    if (c == "{" || c == "[") { depth++; continue }
    if (c == "}" || c == "]") {
      depth--
      if (depth == 0 && start) { v = substr(text, start, i - start); break }
      continue
    }
    if (depth == 1 && c == ":") { invalue = 1; if (name == key) start = i + 1; continue }
    if (depth == 1 && c == ",") {
      if (start) { v = substr(text, start, i - start); break }
      invalue = 0; name = ""
    }
  }
  gsub(/^[ \t\r\n]+|[ \t\r\n]+$/, "", v)
  return v
}
