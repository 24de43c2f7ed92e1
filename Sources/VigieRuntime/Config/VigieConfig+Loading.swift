import Foundation
import StellantisModels
import Yams

extension VigieConfig {
    static let rootKeys = ["api", "callback", "listen", "database", "rules", "vehicles", "budgets",
                           "stale_after", "remote_timeout", "safety", "log_level", "engine",
                           "log_format", "retention", "admin", "notifications", "store"]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads a `vigie.yaml` (docs/configuration.md). Every mistake is collected and thrown
    /// together as a `ConfigError` (`file:line:column: message` each); secrets are read
    /// from their files or `environment` and never appear in a message.
    package static func load(path: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VigieConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the configuration file is not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        return try parse(yaml: text, file: path, folder: folder, environment: environment)
    }

    /// Parses configuration text; `file` names it in errors, relative paths resolve against `folder`.
    package static func parse(yaml text: String, file: String, folder: URL,
                             environment: [String: String] = [:]) throws -> VigieConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else { throw ConfigError(file: file, line: 1, column: 1, message: "the configuration file is empty") }
        var reader = ConfigReader(file: file, folder: folder, environment: environment)
        var config = VigieConfig()
        config.sourcePath = URL(fileURLWithPath: file).standardizedFileURL.path
        config.read(root, &reader)
        guard reader.issues.isEmpty else { throw ConfigError(issues: reader.issues) }
        return config
    }

    private mutating func read(_ root: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(root, "the configuration", allowed: Self.rootKeys) else { return }
        if let node = r.required(map, "api", in: "the configuration", at: root) { readAPI(node, &r) }
        if let node = r.required(map, "callback", in: "the configuration", at: root) { readCallback(node, &r) }
        if let node = r.required(map, "rules", in: "the configuration", at: root), let paths = r.strings(node, "rules") {
            if paths.isEmpty { r.fail(node, "rules must name at least one rule file or folder") }
            rules = paths.map { r.resolve($0) }
        }
        if let node = map["database"], let path = r.path(node, "database") { databasePath = path }
        else { databasePath = r.resolve(databasePath) }
        if let node = map["listen"] { readListen(node, &r) }
        if let node = map["admin"] { readAdmin(node, &r) }
        if let node = map["store"] { readStore(node, databaseGiven: map["database"] != nil, &r) }
        if let node = map["notifications"] { readNotifications(node, &r) }
        if let node = map["vehicles"] { readVehicles(node, &r) }
        if let node = map["budgets"] { readBudgets(node, &r) }
        if let node = map["stale_after"], let value = r.duration(node, "stale_after") { staleAfter = value }
        if let node = map["remote_timeout"], let value = r.duration(node, "remote_timeout") { remoteTimeout = value }
        if let node = map["safety"] { readSafety(node, &r) }
        if let node = map["engine"] { readEngine(node, &r) }
        if let node = map["log_format"] { readLogFormat(node, &r) }
        if let node = map["retention"] { readRetention(node, &r) }
        checkMonthlyBudgetRetention(map, &r)
        if let node = map["log_level"], let level = r.string(node, "log_level") {
            if Self.logLevels.contains(level.lowercased()) { logLevel = level.lowercased() }
            else { r.fail(node, "log_level must be one of \(Self.logLevels.joined(separator: ", "))") }
        }
    }

    private mutating func readAPI(_ node: Node, _ r: inout ConfigReader) {
        let keys = ["kind", "base_url", "client_id", "client_secret", "certificate", "key", "trust_roots",
                    "brand", "realm", "token_url", "token_store", "fleet_id", "request_timeout", "oauth"]
        guard let map = r.mapping(node, "api", allowed: keys) else { return }
        if let k = map["kind"], let text = r.string(k, "api.kind") {
            if let kind = APIKind(rawValue: text.lowercased()) { api.kind = kind }
            else { r.fail(k, "api.kind must be b2c or b2b, not `\(text)`") }
        }
        api.baseURL = api.kind == .b2b ? URL(string: "https://api.groupe-psa.com/connectedcar/v3")! : api.baseURL
        if let n = map["base_url"], let url = r.url(n, "api.base_url") { api.baseURL = url }
        if let n = r.required(map, "client_id", in: "api", at: node), let id = r.string(n, "api.client_id") { api.clientID = id }
        if let n = r.required(map, "client_secret", in: "api", at: node) { api.clientSecret = r.secret(n, "api.client_secret") }
        if let n = map["certificate"] { api.certificatePath = r.path(n, "api.certificate") }
        if let n = map["key"] { api.keyPath = r.path(n, "api.key") }
        if let n = map["trust_roots"] { api.trustRootsPath = r.path(n, "api.trust_roots") }
        if (api.certificatePath == nil) != (api.keyPath == nil), map["certificate"] != nil || map["key"] != nil {
            r.fail(map["certificate"] ?? map["key"] ?? node, "api: `certificate` and `key` go together (mutual TLS)")
        }
        for (key, path) in [("certificate", api.certificatePath), ("key", api.keyPath), ("trust_roots", api.trustRootsPath)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                r.fail(map[key], "api.\(key): cannot read \(path)")
            }
        }
        if let n = map["brand"], let text = r.string(n, "api.brand") { api.brand = Self.brand(text, n, &r) }
        if let n = map["realm"] { api.realm = r.string(n, "api.realm") }
        if let n = map["token_url"] { api.tokenURL = r.url(n, "api.token_url") }
        if let n = map["token_store"] { api.tokenStorePath = r.path(n, "api.token_store") }
        if let n = map["fleet_id"] { api.fleetID = r.string(n, "api.fleet_id") }
        if let n = map["request_timeout"], let value = r.duration(n, "api.request_timeout") { api.requestTimeout = value }
        if let n = map["oauth"] {
            if api.kind == .b2c { readOAuth(n, &r) } else { r.fail(n, "api.oauth is for kind b2c only (B2B uses HTTP Basic)") }
        }
        switch api.kind {
        case .b2c:
            if api.effectiveRealm == nil, map["brand"] == nil, map["realm"] == nil {
                r.fail(node, "api: a B2C configuration needs `brand` (or `realm`) for the x-introspect-realm header")
            }
            if map["token_store"] == nil { r.fail(node, "api: a B2C configuration needs `token_store` (where the session's tokens are kept)") }
            if map["fleet_id"] != nil { r.fail(map["fleet_id"], "api.fleet_id is for kind b2b only") }
        case .b2b:
            if map["fleet_id"] == nil { r.fail(node, "api: a B2B configuration needs `fleet_id`") }
        }
    }

    static func brand(_ text: String, _ node: Node, _ r: inout ConfigReader) -> Brand? {
        let folded = text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
        if let brand = Brand(rawValue: folded) { return brand }
        r.fail(node, "unknown brand `\(text)` (expected \(Brand.allCases.map(\.rawValue).joined(separator: ", ")))")
        return nil
    }

    private mutating func readCallback(_ node: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "callback", allowed: ["public_url", "webhook_secret", "label", "batch"]) else { return }
        if let n = r.required(map, "public_url", in: "callback", at: node), let url = r.url(n, "callback.public_url") {
            callback.publicURL = url
        }
        if let n = r.required(map, "webhook_secret", in: "callback", at: node),
           let secret = r.secret(n, "callback.webhook_secret") {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
            if secret.reveal().count < 16 || secret.reveal().unicodeScalars.contains(where: { !allowed.contains($0) }) {
                r.fail(n, "callback.webhook_secret (from \(secret.source)) must be at least 16 characters among "
                    + "letters, digits, - _ . ~ (it is a URL path segment)")
            } else {
                callback.webhookSecret = secret
            }
        }
        if let n = map["label"], let label = r.string(n, "callback.label") { callback.label = label }
        if let n = map["batch"], let batch = r.bool(n, "callback.batch") { callback.batch = batch }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column,
                               message: "duplicate key \(duplicates.sorted().map { "`\($0)`" }.joined(separator: ", "))")
        default:
            return ConfigError(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }
}
