// Both engine collections' fixtures (InvokerEngineFixture, TriggersFixture via RegistryFixture) remove every
// container of this test run when they finish (Engine.RemoveTestContainersAsync, by the run's label). Run in
// parallel, one collection's clean-up killed the other's containers mid-test — seen as an http action that
// "exited with code 137" in HttpFaultTests when the triggers collection finished. One engine, one collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
