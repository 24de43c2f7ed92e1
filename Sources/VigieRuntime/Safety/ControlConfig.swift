import Foundation
import Yams

/// What `vigie pause` / `vigie resume --config FILE` read from a `vigie.yaml`: only the
/// database, without loading the secrets, so the kill switch also works from a shell that
/// has none of the service's environment variables.
package enum ControlConfig {
    /// The configuration's `database:` (relative paths resolve against the file's folder),
    /// or the default `vigie.sqlite` beside it, as `VigieConfig.load` resolves it.
    package static func databasePath(configPath path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the configuration file is not UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: path, line: 1, column: 1, message: "YAML syntax: \(error)")
        }
        guard let root, case .mapping = root else {
            throw ConfigError(file: path, line: 1, column: 1, message: "the configuration must be a mapping")
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        var reader = ConfigReader(file: path, folder: folder, environment: [:])
        if let store = root["store"] {
            // PostgreSQL (docs/cluster.md): these commands read a SQLite file; pausing one
            // would not pause the deployment, so say so instead.
            throw ConfigError(file: path, line: store.mark.map { $0.line } ?? 0, column: store.mark.map { $0.column } ?? 0,
                              message: "store: this command reads the SQLite store; on PostgreSQL use the admin API of any instance (POST /api/v1/pause, /api/v1/resume; docs/cluster.md)")
        }
        guard let node = root["database"] else { return reader.resolve(VigieConfig().databasePath) }
        guard let database = reader.path(node, "database"), reader.issues.isEmpty else {
            throw ConfigError(issues: reader.issues)
        }
        return database
    }
}
