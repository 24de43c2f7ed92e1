/// Module VigieRuntime: what `vigie serve` runs.
///
/// - `Config/`: `vigie.yaml`, secrets, inventory and budgets (docs/configuration.md).
/// - `Runtime/`: the engine loop over the inbox, the dispatcher of remotes, the poller,
///   metrics and the serve composition (docs/serve.md).
/// - `Safety/`: guardrails between the engine's decisions and the dispatcher: flapping,
///   loops, budgets, the kill switch (docs/safety.md).
enum VigieRuntimeModule {}
