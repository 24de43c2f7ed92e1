import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOHTTP1
import PostgresStore
import StellantisAPI
import VigieRuntime

/// `vigie doctor --config FILE` (docs/production.md, "Doctor"): one line per check of what
/// `vigie serve` needs — the configuration and rules, the token store and the session
/// (a refresh), the API (reachable, rate-limit headroom, the clock against its `Date`),
/// the callback and the monitors against the plan, the disk, the database's integrity and
/// its WAL. Exit status 1 when a check fails (a `warn` does not fail).
package enum Doctor {
    /// Thresholds (public for the documentation and the tests).
    package static let skewWarn: Double = 5, skewFail: Double = 60
    package static let diskWarnBytes: Int64 = 1 << 30, diskFailBytes: Int64 = 256 << 20
    package static let walWarnBytes: Int64 = 64 << 20
    package static let rateWarnFraction = 0.1

    package struct Options: Sendable {
        package var configPath: String
        /// Refresh the B2C session (rotates the tokens in the token store).
        package var refresh: Bool
        package var environment: [String: String]

        package init(configPath: String, refresh: Bool = true,
                    environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.configPath = configPath
            self.refresh = refresh
            self.environment = environment
        }
    }

    /// Runs every check, handing each line to `report` as it is known; returns the exit status.
    package static func run(_ options: Options, report: @escaping @Sendable (DoctorCheck) -> Void) async -> Int32 {
        var failed = false
        func emit(_ check: DoctorCheck) {
            if check.status == .fail { failed = true }
            report(check)
        }
        let config: VigieConfig
        do {
            config = try VigieConfig.load(path: options.configPath, environment: options.environment)
            emit(DoctorCheck("configuration", .ok, "\(options.configPath): \(config.api.kind.rawValue), "
                + "\(config.inventory.vehicles.count) vehicle(s), log_format \(config.logFormat)"))
        } catch {
            emit(DoctorCheck("configuration", .fail, "\(error)"))
            return 1
        }
        do {
            let (bundles, _) = try DeployRules.load(config.rules)
            emit(DoctorCheck("rules", .ok, "\(bundles.count) bundle(s), \(bundles.map(\.rules.count).reduce(0, +)) rule(s)"))
        } catch {
            emit(DoctorCheck("rules", .fail, "\(error)"))
        }
        for check in tokenChecks(config) { emit(check) }
        if config.api.kind == .b2c {
            emit(options.refresh ? await sessionCheck(config) : DoctorCheck("session", .skip, "not refreshed (--no-refresh)"))
        }
        var logger = Logger(label: "vigie.doctor")
        logger.logLevel = .critical
        if let client = try? config.makeAPIClient(logger: logger) {
            for check in await apiChecks(config, client) { emit(check) }
            try? await client.shutdown()
        } else {
            emit(DoctorCheck("api", .fail, "cannot build the API client from the configuration"))
        }
        emit(await clockCheck(config))
        if case .postgres(let url, let partitions) = config.store {
            for check in await postgresChecks(url: url, partitions: partitions.count) { emit(check) }
        } else {
            for check in storageChecks(config) { emit(check) }
        }
        return failed ? 1 : 0
    }

    // MARK: Session

    static func tokenChecks(_ config: VigieConfig) -> [DoctorCheck] {
        guard config.api.kind == .b2c, let path = config.api.tokenStorePath else {
            return [DoctorCheck("token store", .skip, "not used by a B2B configuration")]
        }
        guard FileManager.default.fileExists(atPath: path) else {
            return [DoctorCheck("token store", .fail, "\(path) does not exist: sign in with `vigie login`")]
        }
        let tokens: StoredTokens?
        do { tokens = try FileTokenStore(url: URL(fileURLWithPath: path)).load() } catch {
            return [DoctorCheck("token store", .fail, "\(path) cannot be read: \(error)")]
        }
        guard let tokens else { return [DoctorCheck("token store", .fail, "\(path) holds no session: `vigie login`")] }
        let mode = ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? 0
        let left = tokens.expiresAt.timeIntervalSinceNow
        let validity = left > 0 ? "access token valid for \(Self.duration(left))" : "access token expired (refreshed on use)"
        if mode & 0o077 != 0 {
            return [DoctorCheck("token store", .warn, "\(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600; \(validity)")]
        }
        return [DoctorCheck("token store", .ok, "\(path), \(validity)")]
    }

    static func sessionCheck(_ config: VigieConfig) async -> DoctorCheck {
        guard let secret = config.api.clientSecret, let path = config.api.tokenStorePath,
              let tokenURL = config.api.tokenURL ?? config.api.brand.map(OAuthRefresher.defaultTokenURL(for:)) else {
            return DoctorCheck("session", .fail, "the configuration lacks the client secret, token store or token URL")
        }
        do {
            let refresher = OAuthRefresher(tokenURL: tokenURL, clientID: config.api.clientID, clientSecret: secret.reveal(),
                                           httpClient: HTTPClient.shared, timeout: config.api.requestTimeout)
            let manager = try TokenManager(store: FileTokenStore(url: URL(fileURLWithPath: path)), refresher: refresher)
            let renewed = try await manager.refresh()
            return DoctorCheck("session", .ok, "refresh worked at \(tokenURL.host ?? "?"): access token valid for "
                + Self.duration(renewed.expiresAt.timeIntervalSinceNow))
        } catch {
            return DoctorCheck("session", .fail, "refresh failed: \(error) (sign in again with `vigie login`)")
        }
    }

    // MARK: API

    static func apiChecks(_ config: VigieConfig, _ client: VigieAPIClient) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let started = Date()
        do {
            let vehicles = try await client.vehicles()
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            checks.append(DoctorCheck("api", .ok, "\(config.api.baseURL.host ?? "?") answers: \(vehicles.count) vehicle(s) visible (\(ms) ms)"))
        } catch {
            return [DoctorCheck("api", .fail, "\(config.api.baseURL.absoluteString) unreachable or refused: \(error)")]
        }
        checks.append(rateCheck(client.base.rateLimitStatus))
        let target = config.callback.webhookTarget()
        let shown = target.replacingOccurrences(of: config.callback.webhookSecret.reveal(), with: "<redacted>")
        do {
            if let callback = try await client.findCallback(label: config.callback.label) {
                let have = callback.subscribe.callback.webhook?.target ?? "(no webhook)"
                if have == target {
                    checks.append(DoctorCheck("callback", .ok, "\(callback.id) `\(config.callback.label)` → \(shown) (\(callback.status))"))
                } else {
                    let haveShown = have.replacingOccurrences(of: config.callback.webhookSecret.reveal(), with: "<redacted>")
                    checks.append(DoctorCheck("callback", .fail, "\(callback.id) sends to \(Self.redactPath(haveShown)), not \(shown): `vigie apply`"))
                }
            } else {
                checks.append(DoctorCheck("callback", .fail, "no callback labelled `\(config.callback.label)`: `vigie apply`"))
            }
        } catch {
            checks.append(DoctorCheck("callback", .fail, "cannot list the callbacks: \(error)"))
        }
        do {
            let plan = try await Planner(config: config, client: client).plan()
            let changes = plan.monitors.count
            if changes == 0 {
                checks.append(DoctorCheck("monitors", .ok, "\(plan.unchanged) deployed, as the plan wants"))
            } else {
                checks.append(DoctorCheck("monitors", .fail, "\(plan.unchanged) current, \(plan.count(.create)) to create, "
                    + "\(plan.monitors.filter { $0.action == .update }.count) to update, "
                    + "\(plan.monitors.filter { $0.action == .delete }.count) to delete: `vigie plan`"))
            }
        } catch {
            checks.append(DoctorCheck("monitors", .fail, "cannot plan: \(error)"))
        }
        return checks
    }

    /// A webhook target of another deployment: its last path segment may be a secret too.
    static func redactPath(_ url: String) -> String {
        guard let range = url.range(of: "/webhook/") else { return url }
        return url[..<range.upperBound] + "<redacted>"
    }

    static func rateCheck(_ status: RateLimitStatus) -> DoctorCheck {
        var parts: [String] = []
        var low = false
        for (name, left, limit) in [("day", status.dayRemaining, status.dayLimit), ("burst", status.burstRemaining, status.burstLimit)] {
            guard let left else { continue }
            parts.append(limit.map { "\(name) \(left)/\($0) left" } ?? "\(name) \(left) left")
            if let limit, limit > 0, Double(left) < Double(limit) * rateWarnFraction { low = true }
        }
        if parts.isEmpty { return DoctorCheck("rate limit", .ok, "the API sent no rate-limit headers") }
        return DoctorCheck("rate limit", low ? .warn : .ok, parts.joined(separator: ", ") + (low ? " (under 10 %)" : ""))
    }

    /// The local clock against the API's `Date` header (1 s resolution).
    static func clockCheck(_ config: VigieConfig) async -> DoctorCheck {
        do {
            var request = HTTPClientRequest(url: config.api.baseURL.absoluteString)
            request.method = .HEAD
            let sent = Date()
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(max(1, config.api.requestTimeout))))
            let received = Date()
            guard let header = response.headers.first(name: "date"), let date = Self.httpDate(header) else {
                return DoctorCheck("clock", .warn, "the API's answer has no Date header to compare with")
            }
            // The server's second, compared with the middle of the exchange.
            let local = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
            let skew = local.timeIntervalSince(date) - 0.5
            let text = String(format: "%+.1f s against the API's Date header", skew)
            if abs(skew) > skewFail { return DoctorCheck("clock", .fail, text + ": set up NTP (timers and budgets use this clock)") }
            return DoctorCheck("clock", abs(skew) > skewWarn ? .warn : .ok, text)
        } catch {
            return DoctorCheck("clock", .warn, "cannot read the API's Date header: \(error)")
        }
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    // MARK: Storage

    static func storageChecks(_ config: VigieConfig) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let path = config.databasePath
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var stats = statvfs()
        if statvfs(folder, &stats) == 0 {
            let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
            let total = Int64(stats.f_blocks) * Int64(stats.f_frsize)
            let text = "\(Self.bytes(free)) free of \(Self.bytes(total)) at \(folder)"
            checks.append(DoctorCheck("disk", free < diskFailBytes ? .fail : free < diskWarnBytes ? .warn : .ok, text))
        } else {
            checks.append(DoctorCheck("disk", .fail, "\(folder): \(String(cString: strerror(errno)))"))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            checks.append(DoctorCheck("database", .warn, "\(path) does not exist yet (`vigie serve` creates it)"))
            return checks
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: path, configuration: configuration)
            let result = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            let size = Self.fileSize(path)
            checks.append(result == ["ok"] ? DoctorCheck("database", .ok, "\(path): integrity ok, \(Self.bytes(size))")
                : DoctorCheck("database", .fail, "\(path): integrity_check: \(result.prefix(3).joined(separator: "; "))"))
            try pool.close()
        } catch {
            checks.append(DoctorCheck("database", .fail, "\(path): \(Backup.message(error))"))
        }
        let wal = Self.fileSize(path + "-wal")
        checks.append(DoctorCheck("wal", wal > walWarnBytes ? .warn : .ok, "\(Self.bytes(wal))"
            + (wal > walWarnBytes ? " (checkpoints are not keeping up, or a reader holds a snapshot)" : "")))
        return checks
    }

    /// The PostgreSQL store (docs/cluster.md): the server answers within 15 s, the schema is
    /// this build's (pending migrations: `vigie serve` applies them at start; unknown ones:
    /// a newer vigie ran here), and the partition count recorded equals the configuration's
    /// (else `vigie serve` refuses to start). The server's disk and WAL are watched there.
    package static func postgresChecks(url: Secret, partitions configured: Int) async -> [DoctorCheck] {
        let settings: PostgresSettings
        do {
            settings = try PostgresSettings(url: url.reveal())
        } catch {
            return [DoctorCheck("database", .fail, "store.postgres.url (from \(url.source)): \(error)")]
        }
        var checks = [DoctorCheck("disk", .skip, "the store is PostgreSQL: watch the server's disk and WAL there")]
        var logger = Logger(label: "vigie.doctor.postgres")
        logger.logLevel = .critical
        let started = ContinuousClock.now
        // One connection first: a refused port, an unknown host or a refused login are
        // reported at once, with the reason (the pool would retry them until the 15 s).
        do {
            try await PostgresStore.connectOnce(settings, timeout: 15, logger: logger)
        } catch {
            checks.append(DoctorCheck("database", .fail, "\(settings.description): \(error)"))
            return checks
        }
        let store = PostgresStore(settings: settings, partitions: configured, logger: logger)
        let client = Task { await store.run() }
        defer { client.cancel() }
        // The health, or why there is none.
        let answer = await withTaskGroup(of: (health: PostgresHealth?, why: String).self) { group in
            group.addTask {
                do { return (try await store.health(), "") } catch { return (nil, String(reflecting: error)) }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                return (nil, "no answer within 15 s")
            }
            let first = await group.next() ?? (nil, "no answer")
            group.cancelAll()
            return first
        }
        let elapsed = ContinuousClock.now - started
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        guard let health = answer.health else {
            checks.append(DoctorCheck("database", .fail, "\(settings.description): \(answer.why)"))
            return checks
        }
        var detail = "\(settings.description) answers (PostgreSQL \(health.serverVersion), \(ms) ms)"
        if !health.unknown.isEmpty {
            checks.append(DoctorCheck("database", .warn, detail + "; migrations this vigie does not know: "
                + "\(health.unknown.joined(separator: ", ")) (a newer vigie ran here)"))
        } else if health.applied < health.known {
            detail += "; \(health.applied) of \(health.known) migrations applied (vigie serve applies the rest at start)"
            checks.append(DoctorCheck("database", health.applied == 0 ? .warn : .ok, detail))
        } else {
            checks.append(DoctorCheck("database", .ok, detail + "; schema up to date"))
        }
        switch health.partitions {
        case nil:
            checks.append(DoctorCheck("partitions", .ok, "none recorded yet: the first vigie serve records \(configured)"))
        case configured?:
            checks.append(DoctorCheck("partitions", .ok, "\(configured), as recorded in the database"))
        case let recorded?:
            checks.append(DoctorCheck("partitions", .fail, "this database's vehicles are split into \(recorded) "
                + "partitions, not \(configured): vigie serve refuses to start (docs/cluster.md \"Sizing P\")"))
        }
        return checks
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return s >= 3600 ? "\(s / 3600) h \(s % 3600 / 60) min" : s >= 60 ? "\(s / 60) min" : "\(s) s"
    }
}

