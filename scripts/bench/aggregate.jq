# scripts/bench.sh: the raw results of every benchmark ($invoker, $registry, $builder, $builderService, $p7, $p15, $kubernetes, $p14, $artifacts, $workflows, $p9, $p10, $p11; null when
# one did not run) → bench.json: the machine, and one row per measurement with median, p99, min/max, the
# baseline measured in the same run, the ratio, the target and whether it holds.
def at($s; $q): if ($s | length) == 0 then null else $s[([(($q * ($s | length)) | ceil) - 1, 0] | max)] end;
def stats($a): ($a | sort) as $s | {median: at($s; 0.5), p99: at($s; 0.99), min: $s[0], max: $s[-1], n: ($s | length)};
def pick: {median, p99, min, max, n};
def notrun($id; $what; $target): {id: $id, what: $what, target: $target, status: "not run", holds: null};
def req($name): first($registry[] | select(.what | startswith($name)) | .requests) // null;

{
  machine: {cores: $cores, cpu: $cpu, memoryMb: $memMb, kernel: $kernel, engine: $engine, buildx: $buildx,
            dotnet: $dotnet, loadAverageAtEnd: $load, commit: $commit},
  started: $started, finished: $finished, seconds: $seconds, failed: $failed,
  rows: [
    # P1: warm invocation vs docker run, and vs a direct HTTP call to the same warm container.
    (if $invoker == null then notrun("P1"; "warm invocation vs docker run --rm"; "≥ 60× faster (p50)") else
      ($invoker.warm | pick) + {id: "P1", what: "warm invocation of examples/echo (linux/amd64) vs `docker run --rm`", unit: "ms",
        baseline: {what: "docker run --rm", median: $invoker.dockerRun.median, p99: $invoker.dockerRun.p99},
        ratio: ($invoker.dockerRun.median / $invoker.warm.median), ratioUnit: "× faster",
        target: "≥ 60× faster (p50)", holds: (($invoker.dockerRun.median / $invoker.warm.median) >= 60)} end),
    (if $invoker == null then notrun("P1"; "warm invocation over a direct HTTP call"; "≤ 1 ms over (p50)") else
      {id: "P1", what: "warm invocation minus a direct HTTP call to the same warm container (median of each; p99, min – max of the per-call pairs)", unit: "ms",
        median: ($invoker.warm.median - $invoker.direct.median), p99: $invoker.overheadPaired.p99,
        min: $invoker.overheadPaired.min, max: $invoker.overheadPaired.max, n: $invoker.warm.n,
        pairedMedian: $invoker.overheadPaired.median, invokerPathOnly: ($invoker.invokerPathOnly | pick),
        baseline: {what: "direct POST /run", median: $invoker.direct.median, p99: $invoker.direct.p99},
        target: "≤ 1 ms over the direct call (p50)", holds: (($invoker.warm.median - $invoker.direct.median) <= 1)} end),
    # P2: cold invocation (image present, no warm container) vs docker run.
    (if $invoker == null then notrun("P2"; "cold invocation vs docker run --rm"; "≤ 1.2×") else
      ($invoker.cold | pick) + {id: "P2", what: "cold invocation (image present, new container + /init) vs `docker run --rm`", unit: "ms",
        baseline: {what: "docker run --rm", median: $invoker.dockerRun.median, p99: $invoker.dockerRun.p99},
        ratio: ($invoker.cold.median / $invoker.dockerRun.median), ratioUnit: "×",
        target: "≤ 1.2× docker run (p50)", holds: (($invoker.cold.median / $invoker.dockerRun.median) <= 1.2)} end),
    # P3: HTTP requests the registry served to place one image of a 3-platform index: an index Polyarch built carries
    # the placement labels on its children (1 request cold); one built elsewhere costs index → manifest → config.
    ((["cold", ", cold", 1], ["warm", ", warm", 1], ["pinned", ", pinned", 0]) as [$kind, $suffix, $limit] |
      (if $registry == null then notrun("P3"; "registry round trips to place an image, \($kind)"; "≤ \($limit)") else
        (first($registry[] | select((.what | startswith("polyarch placement from a Polyarch-built")) and (.what | contains($suffix))) | .requests) // null) as $n |
        (first($registry[] | select((.what | startswith("polyarch ResolvePlatformAsync")) and (.what | contains($suffix))) | .requests) // null) as $elsewhere |
        {id: "P3", what: "registry round trips to place a Polyarch-built 3-platform index (placement labels on the index's children: the index alone), \($kind); an image built elsewhere (index → manifest → config): \($elsewhere)", unit: "requests",
          median: $n, min: $n, max: $n, n: 1, builtElsewhere: $elsewhere,
          baseline: {what: "docker buildx imagetools inspect / skopeo inspect --override-arch",
                     median: req("docker buildx imagetools inspect"), skopeo: req("skopeo inspect --override-arch")},
          target: "≤ \($limit)", holds: (if $n == null then null else $n <= $limit end)} end)),
    # P4, P5: builder vs raw bake.
    (if $builder == null then notrun("P4"; "builder vs raw docker buildx bake"; "≤ 1.10×") else
      stats($builder.builderNewCommit) + {id: "P4", what: "build of a new commit, 3 platforms, warm cache: polyarch-builder (a new CLI process each run\(if $builder.cliStartup then "; its start-up alone: \(stats($builder.cliStartup).median) s" else "" end)) vs raw `docker buildx bake`", unit: "s",
        cliStartup: (if $builder.cliStartup then stats($builder.cliStartup) else null end),
        baseline: ({what: "raw docker buildx bake, same checkout and cache"} + (stats($builder.rawBakeNewCommit) | {median, min, max})),
        ratio: (stats($builder.builderNewCommit).median / stats($builder.rawBakeNewCommit).median), ratioUnit: "×",
        target: "≤ 1.10× raw bake (median)", holds: ((stats($builder.builderNewCommit).median / stats($builder.rawBakeNewCommit).median) <= 1.10)} end),
    (if $builderService == null then notrun("P4"; "polyarch-builder in a warm process vs raw docker buildx bake"; "≤ 1.10×") else
      stats($builderService.builderWarmProcess) + {id: "P4", what: "build of a new commit, 3 platforms, warm cache: polyarch-builder in one warm process, as `serve` runs every build (checkout, bake, verify, tags) vs raw `docker buildx bake`", unit: "s",
        baseline: ({what: "raw docker buildx bake, same checkout and cache"} + (stats($builderService.rawBake) | {median, min, max})),
        ratio: (stats($builderService.builderWarmProcess).median / stats($builderService.rawBake).median), ratioUnit: "×",
        target: "≤ 1.10× raw bake (median)", holds: ((stats($builderService.builderWarmProcess).median / stats($builderService.rawBake).median) <= 1.10)} end),
    (if $builder == null or (($builder.handedOffNewCommit // []) | length) == 0 then notrun("P4"; "a one-shot CLI build handed to the running serve vs raw docker buildx bake"; "≤ 1.15×") else
      stats($builder.handedOffNewCommit) + {id: "P4", what: "build of a new commit, 3 platforms, warm cache: a new polyarch-builder CLI process handing the build to the `serve` running on its state directory (issue 18) vs raw `docker buildx bake`", unit: "s",
        baseline: ({what: "raw docker buildx bake, same checkout and cache"} + (stats($builder.rawBakeHandedOff) | {median, min, max})),
        ratio: (stats($builder.handedOffNewCommit).median / stats($builder.rawBakeHandedOff).median), ratioUnit: "×",
        target: "≤ 1.15× raw bake (median)", holds: ((stats($builder.handedOffNewCommit).median / stats($builder.rawBakeHandedOff).median) <= 1.15)} end),
    (if $builder == null or (($builder.handedOffUnchangedFreshState // []) | length) == 0 then notrun("P5"; "unchanged commit, CLI handed to a serve on a fresh state vs raw bake"; "≤ 1.15×") else
      stats($builder.handedOffUnchangedFreshState) + {id: "P5", what: "unchanged commit rebuilt by a CLI handing it to a `serve` just started on a fresh state directory, warm cache, vs raw bake of the same checkout", unit: "s",
        baseline: ({what: "raw docker buildx bake, same checkout and cache"} + (stats($builder.rawBakeHandedOffUnchanged) | {median, min, max})),
        ratio: (stats($builder.handedOffUnchangedFreshState).median / stats($builder.rawBakeHandedOffUnchanged).median), ratioUnit: "×",
        target: "≤ 1.15× raw bake (median)", holds: ((stats($builder.handedOffUnchangedFreshState).median / stats($builder.rawBakeHandedOffUnchanged).median) <= 1.15)} end),
    (if $builder == null then notrun("P5"; "the same commit delivered twice"; "0 rebuilds") else
      {id: "P5", what: "the same commit delivered twice (second delivery)", unit: "s",
        median: $builder.redelivered.seconds, min: $builder.redelivered.seconds, max: $builder.redelivered.seconds, n: 1,
        rebuilds: (if $builder.redelivered.reused == true then 0 else 1 end),
        target: "0 rebuilds", holds: ($builder.redelivered.reused == true)} end),
    (if $builder == null then notrun("P5"; "unchanged commit rebuilt with a warm cache vs raw bake"; "≤ 1.1×") else
      stats($builder.builderUnchangedFreshState) + {id: "P5", what: "unchanged commit rebuilt from a fresh builder state, warm cache, vs raw bake of the same checkout", unit: "s",
        baseline: ({what: "raw docker buildx bake, same checkout and cache"} + (stats($builder.rawBakeUnchanged) | {median, min, max})),
        ratio: (stats($builder.builderUnchangedFreshState).median / stats($builder.rawBakeUnchanged).median), ratioUnit: "×",
        target: "≤ 1.1× raw bake (median)", holds: ((stats($builder.builderUnchangedFreshState).median / stats($builder.rawBakeUnchanged).median) <= 1.1)} end),
    # P6: warm no-op throughput through the invoker at concurrency 1..8; the ceiling: the container called directly.
    (if $invoker == null then notrun("P6"; "warm no-op invocations per second"; "≥ 300/s") else
      ([$invoker.throughput[].perSecond] | max) as $best |
      {id: "P6", what: "warm no-op invocations/s through the invoker, best of concurrency \([$invoker.throughput[] | "c=\(.concurrency): \(.perSecond | round)"] | join(", "))", unit: "/s",
        median: $best, min: ([$invoker.throughput[].perSecond] | min), max: $best, n: ($invoker.throughput | length),
        throughput: $invoker.throughput, directThroughput: $invoker.directThroughput, image: $invoker.throughputImage,
        baseline: {what: "direct POST /run to one warm no-op container, no invoker (c=1)", median: (first($invoker.directThroughput[]? | select(.concurrency == 1) | .perSecond) // null)},
        target: "≥ 300/s", holds: ($best >= 300)} end),
    # P7: registry index-push notification → activation start.
    (if $p7 == null then notrun("P7"; "index-push event → activation started"; "≤ 200 ms (p50 and p99)") else
      stats($p7.samplesMs) + {id: "P7", what: "index-push event → activation started (linux/amd64; the first push is the repository's first, on a just-started serve)", unit: "ms",
        target: "≤ 200 ms (p50 and p99)", holds: (stats($p7.samplesMs).median <= 200 and stats($p7.samplesMs).p99 <= 200)} end),
    # P9: the activation store at scale, per provider; the baseline is the same store at its first baseline records.
    ((["sqlite", "SQLite"], ["postgres", "PostgreSQL"]) as [$key, $name] |
      (if $p9 == null or $p9[$key] == null then notrun("P9"; "activation store at scale, \($name)"; "≤ 10 ms (p50)") else
        $p9[$key] as $s |
        ((["newest50", "newest50AtBaseline", "newest 50"], ["byAction50", "byAction50AtBaseline", "newest 50 of one action (of 100)"]) as [$at, $base, $q] |
          ($s[$at] | pick) + {id: "P9", what: "`activations list`, \($q), at \($s.records) records (≈ \($s.recordBytesAverage | round) B of JSON each), \($name)", unit: "ms",
            baseline: {what: "the same at \($s.baselineRecords) records", median: $s[$base].median, p99: $s[$base].p99},
            ratio: ($s[$at].median / $s[$base].median), ratioUnit: "× the baseline",
            target: "≤ 10 ms (p50)", holds: ($s[$at].median <= 10)}),
        {id: "P9", what: "inserts through the store (`SaveManyAsync`, 1,000 per transaction) at \($s.records) records, \($name) (the bulk fill between: \($s.bulkInsertPerSecond | round)/s)", unit: "/s",
          median: $s.storeInsertPerSecondAtFull, min: $s.storeInsertPerSecondAtFull, max: $s.storeInsertPerSecondAtFull, n: 1,
          baseline: {what: "the same on an empty store", median: $s.storeInsertPerSecondAtBaseline},
          ratio: ($s.storeInsertPerSecondAtFull / $s.storeInsertPerSecondAtBaseline), ratioUnit: "× the baseline",
          target: "reported", holds: null},
        {id: "P9", what: "size of the activations at \($s.records) records, \($name); retention (MaxAge \($s.retention.maxAgeDays) days) pruned \($s.retention.pruned) in \($s.retention.pruneSeconds * 10 | round / 10) s → \($s.retention.bytesAfterPrune / 1e6 | round) MB\(if $s.retention.vacuumSeen == false then " (no vacuum seen within 2 min)" else "" end); a week more (\($s.retention.weekRecords)) and pruned again → \($s.retention.bytesAfterWeek / 1e6 | round) MB", unit: "MB",
          median: ($s.bytesAtFull / 1e6), min: ($s.bytesAtFull / 1e6), max: ($s.bytesAtFull / 1e6), n: 1, retention: $s.retention,
          baseline: {what: "at \($s.baselineRecords) records", median: ($s.bytesAtBaseline / 1e6)},
          ratio: (($s.bytesAtFull / $s.records) / ($s.bytesAtBaseline / $s.baselineRecords)), ratioUnit: "× the baseline's bytes per record",
          target: "bounded: after a further week and a prune ≤ 1.1× the size at \($s.records)", holds: ($s.retention.bytesAfterWeek <= 1.1 * $s.bytesAtFull)}
      end)),
    # P10: a burst of index pushes, the registry's recorded notification sequence each, against a running serve.
    (if $p10 == null then notrun("P10"; "push burst: index pushes → firings"; "exactly one firing per push") else
      ($p10.eventToStart | pick) + {id: "P10", what: "index push event → activation start in a burst of \($p10.pushes) pushes over \($p10.seconds) s (sent in \($p10.sentSeconds | round) s; \($p10.envelopesPerPush) recorded notifications each, the webhook token): \($p10.firings) firings for \($p10.expectedFirings) pushes (the burst and \($p10.singles) single ones), \($p10.duplicates) duplicates, \($p10.lost) lost, \($p10.webhookFailures) webhook failures", unit: "ms",
        firings: $p10.firings, expectedFirings: $p10.expectedFirings, duplicates: $p10.duplicates, lost: $p10.lost,
        baseline: {what: "single pushes, one at a time", median: $p10.singleEventToStart.median, p99: $p10.singleEventToStart.p99},
        ratio: ($p10.eventToStart.median / $p10.singleEventToStart.median), ratioUnit: "× single",
        target: "exactly one firing per push: 0 duplicates, 0 lost", holds: ($p10.firings == $p10.expectedFirings and $p10.duplicates == 0 and $p10.lost == 0)} end),
    # P11: many actions, the warm pool capped by memory; the engine's accounting of the containers sampled throughout.
    (if $p11 == null then notrun("P11"; "many actions under a memory cap"; "memory under the cap") else
      ($p11.many | pick) + {id: "P11", what: "invocation across \($p11.actions) actions (Zipf, \($p11.distinctActionsInvoked) distinct, c=\($p11.concurrency), \($p11.coldShare * 100 | round) % cold), warm pool capped at \($p11.memoryCapMb) MiB (\($p11.maxContainers) × \($p11.memoryMb) MiB); the engine: at most \($p11.peakContainers) containers, limits \($p11.peakLimitBytes / 1048576 | round) MiB, \($p11.peakUsageBytes / 1048576 | round) MiB in use; warm calls only: \($p11.manyWarm.median * 100 | round / 100) ms p50", unit: "ms",
        manyWarm: $p11.manyWarm, peakContainers: $p11.peakContainers, peakLimitBytes: $p11.peakLimitBytes, peakUsageBytes: $p11.peakUsageBytes,
        baseline: {what: "one hot action, same concurrency", median: $p11.hot.median, p99: $p11.hot.p99},
        ratio: ($p11.many.median / $p11.hot.median), ratioUnit: "× hot",
        target: "the engine's memory for the warm containers ≤ the cap (limits, sampled)", holds: ($p11.peakLimitBytes <= $p11.memoryCapMb * 1048576)} end),
    # P8: emulated vs native warm invocation.
    (if $invoker == null then notrun("P8"; "emulated vs native warm invocation"; "reported") else
      ($invoker.emulated | to_entries[]) as $e |
      ($e.value | pick) + {id: "P8", what: "warm invocation of examples/echo, \($e.key) under QEMU vs native", unit: "ms",
        baseline: {what: "native (linux/amd64) warm invocation", median: $invoker.warm.median},
        ratio: ($e.value.median / $invoker.warm.median), ratioUnit: "× native", target: "reported", holds: null} end),
    # P15: hello.py as a code action on the Python runtime, cold and warm, native and emulated, vs docker run --rm of the same file.
    (if $p15 == null then notrun("P15"; "hello.py code action on polyarch/python:3.11 vs docker run --rm"; "reported") else
      ($p15.platforms | to_entries[]) as $p | (["cold", "coldMs"], ["warm", "warmMs"]) as [$kind, $key] |
      stats($p.value[$key]) + {id: "P15", what: "\($kind) invocation of examples/python-hello/hello.py as a code action on polyarch/python:3.11, \($p.key)\(if $p.value.emulated then " (QEMU)" else " (native)" end)\(if $kind == "cold" then " (new container, /init with the code)" else "" end) vs `docker run --rm` of the same runtime running the same file", unit: "ms",
        baseline: ({what: "docker run --rm python3 hello.py"} + (stats($p.value.dockerRunMs) | {median, p99, min, max})),
        ratio: (if $kind == "warm" then stats($p.value.dockerRunMs).median / stats($p.value[$key]).median else stats($p.value[$key]).median / stats($p.value.dockerRunMs).median end),
        ratioUnit: (if $kind == "warm" then "× faster" else "× docker run" end),
        target: "reported", holds: null} end),
    # K1: Kubernetes placement (API-server double with 5,000 nodes).
    (if $kubernetes == null then notrun("K1"; "Kubernetes placement per activation"; "≤ 5 ms (p50)") else
      ($kubernetes.placement | pick) + {id: "K1", what: "Kubernetes placement per activation on \($kubernetes.nodes) simulated nodes (API calls per activation: \($kubernetes.apiCallsPerActivation))", unit: "ms",
        apiCallsDuringPlacement: $kubernetes.apiCallsDuringPlacement, apiCallsPerActivation: $kubernetes.apiCallsPerActivation,
        target: "≤ 5 ms (p50), 0 node API calls", holds: (($kubernetes.placement.median <= 5) and ($kubernetes.nodeCalls == 0))} end),
    # P14: the CLI's one-shot manifest verbs vs docker buildx imagetools, whole processes in the same run.
    ((["inspect", "`polyarch-builder manifest inspect` vs `docker buildx imagetools inspect`"],
      ["create", "`polyarch-builder manifest create` of three sources vs `docker buildx imagetools create`"]) as [$verb, $what] |
      (if $p14 == null then notrun("P14"; $what; "≤ 1.5× the peer (median)") else
        stats($p14[$verb].polyarch) + {id: "P14", what: "\($what) (whole processes; \(if $p14.native == true then "the CLI execs its Native AOT polyarch-builder-manifest" elif $p14.native == false then "in-process, no native manifest tool" else "" end); `--version` alone: \(stats($p14.version).median) s)", unit: "s", native: $p14.native,
          version: stats($p14.version),
          baseline: ({what: "docker buildx imagetools \($verb)"} + (stats($p14[$verb].imagetools) | {median, p99, min, max})),
          ratio: (stats($p14[$verb].polyarch).median / stats($p14[$verb].imagetools).median), ratioUnit: "×",
          target: "≤ 1.5× the peer (median)", holds: ((stats($p14[$verb].polyarch).median / stats($p14[$verb].imagetools).median) <= 1.5)} end)),
    # A1: a 10 MB artifact through IArtifactStore vs raw HttpClient blob PUT / GET of the same size.
    ((["store", "rawStore", "storing a 10 MB artifact (`IArtifactStore.PushAsync`: blob HEAD + POST + streaming PUT, empty config, manifest)", "raw HttpClient hash + POST + PUT of the blob"],
      ["load", "rawLoad", "loading a 10 MB artifact to a file (`IArtifactStore.PullAsync`: manifest, streamed blob with digest check)", "raw HttpClient GET of the blob to a file"]) as [$ours, $raw, $what, $peer] |
      (if $artifacts == null then notrun("A1"; $what; "≤ 1.5× raw (median)") else
        stats($artifacts[$ours].samplesMs) + {id: "A1", what: $what, unit: "ms",
          baseline: ({what: $peer} + (stats($artifacts[$raw].samplesMs) | {median, p99, min, max})),
          ratio: (stats($artifacts[$ours].samplesMs).median / stats($artifacts[$raw].samplesMs).median), ratioUnit: "×",
          target: "≤ 1.5× raw (median)", holds: ((stats($artifacts[$ours].samplesMs).median / stats($artifacts[$raw].samplesMs).median) <= 1.5)} end)),
    # W1: the workflow engine per step (start, DAG, references, every state change stored, record read back) over the
    # same actions invoked directly one after another; each run pairs one engine run with one direct chain.
    (if $workflows == null then notrun("W1"; "workflow engine overhead per step"; "≤ 5 ms per step (median)") else
      stats($workflows.overheadPerStepMs) + {id: "W1", what: "workflow engine overhead per step: a \($workflows.steps)-step chain of warm examples/echo (linux/amd64) run by the engine minus the same invocations made directly, ÷ steps", unit: "ms",
        baseline: {what: "direct invocations, per step", median: (stats($workflows.directMs).median / $workflows.steps), p99: (stats($workflows.directMs).p99 / $workflows.steps)},
        ratio: (stats($workflows.workflowMs).median / stats($workflows.directMs).median), ratioUnit: "× direct",
        target: "≤ 5 ms per step (median)", holds: (stats($workflows.overheadPerStepMs).median <= 5)} end)
  ],
  raw: {invoker: $invoker, registry: $registry, builder: $builder, builderService: $builderService, p7: $p7, p15: $p15, kubernetes: $kubernetes, p14: $p14, artifacts: $artifacts, workflows: $workflows, p9: $p9, p10: $p10, p11: $p11}
}
