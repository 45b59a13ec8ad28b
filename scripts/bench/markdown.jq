# bench.json → bench.md (scripts/bench.sh).
def num: if . == null then "–" elif (type != "number") then tostring
  elif (. | fabs) >= 100 then (. | round | tostring)
  elif (. | fabs) >= 10 then ((. * 10 | round) / 10 | tostring)
  else ((. * 100 | round) / 100 | tostring) end;
def unit: if .unit == "/s" then "/s" elif .unit == "requests" then "" else " \(.unit)" end;
def holds: if .status == "not run" then "not run" elif .holds == true then "yes" elif .holds == false then "**no**" else "–" end;

"# Polyarch benchmarks",
"",
"\(.finished) · \(.machine.cores) cores (\(.machine.cpu)), \(.machine.memoryMb) MiB · Docker Engine \(.machine.engine) · buildx \(.machine.buildx) · .NET \(.machine.dotnet) · kernel \(.machine.kernel) · commit \(.machine.commit) · load average at the end \(.machine.loadAverageAtEnd) · \(.seconds) s",
"",
"| id | what | median | p99 | min – max | baseline (median) | ratio | target | holds |",
"|---|---|---|---|---|---|---|---|---|",
(.rows[] |
  if .status == "not run" then "| \(.id) | \(.what) | – | – | – | – | – | \(.target) | not run |"
  else
    "| \(.id) | \(.what) | \(.median | num)\(unit) | \(if .p99 == null or .n == 1 then "–" else (.p99 | num) + unit end) | \(if .n == 1 then "–" else "\(.min | num) – \(.max | num)" end) | \(if .baseline == null then "–" else "\(.baseline.what): \(.baseline.median | num)\(if .unit == "requests" then (if .baseline.skopeo then " / \(.baseline.skopeo)" else "" end) else unit end)" end) | \(if .ratio == null then "–" else "\(.ratio | num)\(.ratioUnit)" end) | \(.target) | \(holds) |"
  end),
"",
(first(.rows[] | select(.id == "P6" and .throughput != null)) |
  "P6 in detail (\(.image)): " +
  ([.throughput[] | "c=\(.concurrency) \(.perSecond | round)/s"] | join(", ")) +
  "; the same warm container called directly, no invoker: " +
  ([.directThroughput[]? | "c=\(.concurrency) \(.perSecond | round)/s"] | join(", ")) + "."),
(if (.failed | length) > 0 then "", "Did not run: \(.failed | join(", ")) (see logs/)." else empty end)
