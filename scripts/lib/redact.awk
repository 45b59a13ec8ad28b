# Removes secrets from a log: every occurrence of the secret held in the file -v secret_file=PATH names (read
# here, so the secret never appears in a process's arguments, where `ps` would show it), and the value of every
# "Authorization:[...]" header entry, which is how distribution 2.8 prints a notification endpoint's headers at
# start-up ("configuring endpoint … headers=map[Authorization:[Bearer …]]") — whatever the token file holds now.
# Line by line and flushed, so it can sit between a running service and its log file (see scripts/registry.sh):
#   awk [-W interactive] -v secret_file=FILE -f scripts/lib/redact.awk [INPUT]
BEGIN {
  secret = ""
  if (secret_file != "" && (getline secret < secret_file) > 0) close(secret_file)
  sub(/[ \t\r]+$/, "", secret)
  # A secret shorter than this would blank out ordinary words; the Authorization rule still applies.
  if (length(secret) < 8) secret = ""
}
{
  line = $0
  gsub(/Authorization:\[[^]]*\]/, "Authorization:[redacted]", line)
  if (secret != "") {
    out = ""
    while ((at = index(line, secret)) > 0) {
      out = out substr(line, 1, at - 1) "[redacted]"
      line = substr(line, at + length(secret))
    }
    line = out line
  }
  print line
  fflush()
}
