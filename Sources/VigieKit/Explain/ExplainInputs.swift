import Foundation
import PostgresStore
import RuleEngine
import RuleLanguage
import VigieRuntime

/// What `vigie explain` replays with: the checked rules, the inventory, the store and the
/// reorder window — from `--config` (as `vigie serve` reads them: its `database:` or its
/// PostgreSQL `store:`) or from rule files with `--inventory`, `--reorder-window` and `--db`.
struct ExplainInputs {
    var bundles: [CheckedBundle]
    var inventory: Inventory?
    /// The outcome store: `--db`, else the configuration's.
    var store: CommandStore
    var reorderWindow: Double
    /// Rule-file warnings (for stderr).
    var warnings: String

    static func load(_ options: ExplainOptions, in directory: URL) -> Result<ExplainInputs, ReplayInputs.Failure> {
        func usage(_ message: String) -> Result<ExplainInputs, ReplayInputs.Failure> {
            .failure(ReplayInputs.Failure(message: "error: \(message)\n", exitCode: 64))
        }
        guard (options.configPath == nil) != options.paths.isEmpty else {
            return usage(options.paths.isEmpty ? "give --config vigie.yaml or rule files" : "give --config or rule files, not both")
        }
        if options.configPath != nil, options.inventoryPath != nil || options.reorderWindow != nil {
            return usage("--inventory and --reorder-window go with rule files; --config gives both")
        }
        if let window = options.reorderWindow, !(window >= 0 && window.isFinite) {
            return usage("--reorder-window \(window): expected seconds, 0 or more")
        }
        let databasePath = options.databasePath.map { ReplayInputs.resolve($0, in: directory).path }
        if let configPath = options.configPath {
            let path = ReplayInputs.resolve(configPath, in: directory).path
            guard FileManager.default.fileExists(atPath: path) else { return usage("--config \(configPath): no such file") }
            do {
                let config = try VigieConfig.load(path: path, environment: options.environment)
                var store = CommandStore.sqlite(path: databasePath ?? config.databasePath)
                if databasePath == nil, case .postgres(let url, let partitions) = config.store {
                    store = .postgres(try PostgresSettings(url: url.reveal()), partitions: partitions.count)
                }
                let (bundles, warnings) = try DeployRules.load(config.rules)
                return .success(ExplainInputs(bundles: bundles, inventory: config.inventory, store: store,
                                              reorderWindow: config.reorderWindow, warnings: warnings))
            } catch {
                return .failure(ReplayInputs.Failure(message: "error: \(error)\n", exitCode: 1))
            }
        }
        guard let databasePath else { return usage("give --db (the outcome database)") }
        switch ReplayInputs.loadRules(paths: options.paths, inventoryPath: options.inventoryPath, in: directory) {
        case .failure(let f): return .failure(f)
        case .success(let rules):
            return .success(ExplainInputs(bundles: rules.bundles, inventory: rules.inventory, store: .sqlite(path: databasePath),
                                          reorderWindow: options.reorderWindow ?? 0, warnings: rules.warnings))
        }
    }
}
