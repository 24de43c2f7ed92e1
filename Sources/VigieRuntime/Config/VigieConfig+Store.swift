import Foundation
import PostgresStore
import Yams

extension VigieConfig {
    /// `store:`: where `vigie serve` keeps its inbox, decisions, commands and holds.
    /// Without it, the SQLite file `database:` (the embedded default); with
    /// `store: {postgres: {url: {env: NAME} | {file: PATH}}}`, a PostgreSQL database that
    /// several instances can share (docs/cluster.md). The URL is a secret (it may hold a
    /// password): it is never written inline, and messages name its source only.
    package enum Store: Sendable, Hashable {
        case sqlite
        case postgres(url: Secret, partitions: Partitions = Partitions())
    }

    /// How instances on one PostgreSQL database share the vehicles (docs/cluster.md):
    /// `store.postgres.partitions` (P, fixed per deployment), `lease` (how long a partition's
    /// grant lasts without renewal: a dead instance's partitions are taken over after at
    /// most this long) and `post_deadline` (how long after its claim, in the database's
    /// clock, a command left `sending` by another instance is reconciled by listing).
    package struct Partitions: Sendable, Hashable {
        package var count = 64
        package var lease: Double = 10
        package var postDeadline: Double = 60

        package init(count: Int = 64, lease: Double = 10, postDeadline: Double = 60) {
            self.count = count
            self.lease = lease
            self.postDeadline = postDeadline
        }
    }

    /// `store: {postgres: {url: …}}`; `database:` beside it is refused (one store only).
    mutating func readStore(_ node: Node, databaseGiven: Bool, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "store", allowed: ["postgres"]) else { return }
        guard let postgres = map["postgres"] else {
            // An unknown key was reported by `mapping`; an empty mapping names nothing.
            if (node.mapping?.count ?? 0) == 0 { r.fail(node, "store must name its kind: postgres (leave `store` out for the SQLite `database`)") }
            return
        }
        guard let settings = r.mapping(postgres, "store.postgres",
                                       allowed: ["url", "partitions", "lease", "post_deadline"]) else { return }
        var partitions = Partitions()
        if let node = settings["partitions"] {
            guard let count = r.int(node, "store.postgres.partitions", min: 1) else { return }
            guard count <= 4096 else {
                r.fail(node, "store.postgres.partitions must be at most 4096 (a few per instance is enough; docs/cluster.md)")
                return
            }
            partitions.count = count
        }
        if let node = settings["lease"] {
            guard let lease = r.duration(node, "store.postgres.lease") else { return }
            partitions.lease = lease
        }
        if let node = settings["post_deadline"] {
            guard let deadline = r.duration(node, "store.postgres.post_deadline") else { return }
            partitions.postDeadline = deadline
        }
        guard let urlNode = settings["url"] else {
            r.fail(postgres, "store.postgres needs url: {env: NAME} or {file: PATH} (a postgres:// URL)")
            return
        }
        guard let url = r.secret(urlNode, "store.postgres.url") else { return }
        do {
            _ = try PostgresSettings(url: url.reveal())
        } catch {
            r.fail(urlNode, "store.postgres.url (from \(url.source)): \(error)")
            return
        }
        if databaseGiven {
            r.fail(node, "`database` (SQLite) and `store.postgres` are both set: a deployment uses one store")
            return
        }
        store = .postgres(url: url, partitions: partitions)
    }
}

extension VigieConfig {
    /// The store of the configuration at `path` alone — its `database:` (resolved as
    /// `load` does) or its `store: {postgres: …}` — for the commands that only read or write
    /// the store (`vigie pause`, `resume`, `send`, `log`): the rest of the file and its
    /// secrets are not read, so these commands need only the store's own.
    package static func loadStore(path: String,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> (store: Store, databasePath: String) {
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
        var reader = ConfigReader(file: path, folder: folder, environment: environment)
        var config = VigieConfig()
        config.databasePath = reader.resolve(config.databasePath)
        if let node = root["database"], let database = reader.path(node, "database") { config.databasePath = database }
        if let node = root["store"] { config.readStore(node, databaseGiven: root["database"] != nil, &reader) }
        guard reader.issues.isEmpty else { throw ConfigError(issues: reader.issues) }
        return (config.store, config.databasePath)
    }
}
