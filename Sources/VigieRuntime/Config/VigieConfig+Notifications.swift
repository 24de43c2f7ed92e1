import Foundation
import Notifications
import Yams

extension VigieConfig {
    static let channelKeys = ChannelSettings.kinds + ["max_age", "rate_limit", "timeout"]

    /// `notifications: {default: [NAME…], alerts: [NAME…], channels: {NAME: {KIND: {…},
    /// max_age, rate_limit: {count, per}, timeout}}, drift_check: DURATION | off}`
    /// (docs/notifications.md). Secrets come
    /// from `{env:}`/`{file:}` only; `default` and `alerts` must name channels.
    mutating func readNotifications(_ node: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "notifications", allowed: ["default", "alerts", "channels", "drift_check"])
        else { return }
        var config = NotificationsConfig()
        if let n = map["drift_check"] {
            if n.scalar?.string == "off" { config.driftCheck = nil } else if let v = r.duration(n, "notifications.drift_check") {
                if v < 60 { r.fail(n, "notifications.drift_check must be at least 1m (each check lists the monitors at the API), or off") }
                else { config.driftCheck = v }
            }
        }
        if let n = map["channels"], case .mapping(let pairs) = n {
            for (key, value) in pairs {
                guard let name = key.scalar?.string, !name.isEmpty,
                      name.unicodeScalars.allSatisfy({ ("a" ... "z").contains($0) || ("0" ... "9").contains($0) || $0 == "-" || $0 == "_" })
                else {
                    r.fail(key, "a channel name is made of a-z, 0-9, - and _")
                    continue
                }
                if let channel = Self.readChannel(name, value, &r) { config.channels.append(channel) }
            }
        } else if let n = map["channels"] {
            r.fail(n, "notifications.channels must be a mapping of channel names to {KIND: {…}}")
        }
        for (key, keep) in [("default", \NotificationsConfig.defaults), ("alerts", \NotificationsConfig.alerts)] {
            guard let n = map[key], let names = r.strings(n, "notifications.\(key)") else { continue }
            config[keyPath: keep] = names
            for name in names where config.channel(named: name) == nil {
                var message = "notifications.\(key): no channel named `\(name)`"
                if let near = ConfigReader.nearest(name, in: config.names) { message += "; did you mean `\(near)`?" }
                r.fail(Self.item(n, name) ?? n, message)
            }
        }
        notifications = config
    }

    /// The node of `name` in a list (for an error's position).
    static func item(_ list: Node, _ name: String) -> Node? {
        guard case .sequence(let items) = list else { return nil }
        return items.first { $0.scalar?.string == name }
    }

    static func readChannel(_ name: String, _ node: Node, _ r: inout ConfigReader) -> ChannelConfiguration? {
        let what = "notifications.channels.\(name)"
        guard let map = r.mapping(node, what, allowed: channelKeys) else { return nil }
        let kinds = map.keys.filter { ChannelSettings.kinds.contains($0) }
        guard kinds.count == 1, let kind = kinds.first, let body = map[kind] else {
            r.fail(node, "\(what) takes exactly one of \(ChannelSettings.kinds.joined(separator: ", "))")
            return nil
        }
        var channel = ChannelConfiguration(name: name, settings: .webhook(.init(url: URL(string: "http://x")!,
                                                                                 secret: ChannelSecret(""))))
        if let n = map["max_age"], let v = r.duration(n, "\(what).max_age") { channel.maxAge = v }
        if let n = map["timeout"], let v = r.duration(n, "\(what).timeout") { channel.timeout = v }
        if let n = map["rate_limit"] { channel.rateLimit = readRateLimit(n, "\(what).rate_limit", &r) }
        guard let settings = ChannelReader(what: "\(what).\(kind)").read(kind, body, &r) else { return nil }
        channel.settings = settings
        return channel
    }

    static func readRateLimit(_ node: Node, _ what: String, _ r: inout ConfigReader) -> ChannelConfiguration.RateLimit? {
        guard let map = r.mapping(node, what, allowed: ["count", "per"]) else { return nil }
        guard let c = r.required(map, "count", in: what, at: node), let count = r.int(c, "\(what).count", min: 1),
              let p = r.required(map, "per", in: what, at: node), let per = r.duration(p, "\(what).per") else { return nil }
        return .init(count: count, per: per)
    }
}

extension VigieConfig {
    /// The names under `notifications.channels` of a configuration file, in file order,
    /// read without resolving any secret or checking other sections (`vigie validate
    /// --config`). Throws `ConfigError` for an unreadable file or broken YAML.
    package static func channelNames(path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "cannot read the configuration file")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: path, message: "YAML: \(error)")
        }
        guard case .mapping(let top)? = root, let notifications = top["notifications"],
              case .mapping(let section) = notifications, let channels = section["channels"],
              case .mapping(let pairs) = channels else { return [] }
        return pairs.compactMap { $0.key.scalar?.string }
    }
}
