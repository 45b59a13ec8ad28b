// As in Polyarch.Invoker.Tests (its TestParallelization.cs says why): the tests of this assembly that use the container
// host share one engine, one registry and one PostgreSQL on a 2-core machine, and a collection's clean-up by the run's
// label must not remove another's containers mid-test. One collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
