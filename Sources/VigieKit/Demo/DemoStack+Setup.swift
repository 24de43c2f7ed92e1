import Foundation
import OutcomeStore
import RuleEngine
import Simulator
import StellantisAPI
import VigieRuntime

extension DemoStack {
    /// The log, replaced if it exists (with its WAL files).
    static func freshDatabase(_ path: String) throws -> OutcomeDatabase {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return try OutcomeDatabase(path: path)
    }

    /// The configuration `vigie serve` would read, written for the simulator: its base
    /// URL, client id and secret, tokens in a file of the stack's work folder, a fresh
    /// webhook secret, the cars with their ids and tags.
    static func configuration(options: Options, core: SimCore, simPort: Int, vehicles: [Vehicle],
                              workdir: URL, databasePath: String) async throws -> VigieConfig {
        let base = "http://127.0.0.1:\(simPort)"
        let tokens = await core.bootstrapTokens()
        let tokenFile = workdir.appendingPathComponent("tokens.json")
        try FileTokenStore(url: tokenFile).save(StoredTokens(accessToken: tokens.access, refreshToken: tokens.refresh,
                                                             expiresAt: Date().addingTimeInterval(Double(tokens.expiresIn))))
        let simConfig = core.config
        let api = VigieConfig.API(kind: .b2c, baseURL: URL(string: "\(base)/connectedcar/v4")!,
                                  clientID: simConfig.clientId, clientSecret: Secret(simConfig.clientSecret),
                                  realm: "clientsB2CPeugot/OTPPeugeot",
                                  tokenURL: URL(string: "\(base)/oauth2/access_token")!,
                                  tokenStorePath: tokenFile.path, requestTimeout: 30)
        let inventory = Inventory(vehicles: vehicles.map { Inventory.Vehicle(vin: $0.vin, tags: options.tags, brand: $0.brand) })
        var ids: [String: String] = [:]
        for v in vehicles { ids[v.vin] = v.id }
        return VigieConfig(api: api,
                           callback: VigieConfig.Callback(webhookSecret: Secret(randomSecret()), label: "vigie-demo",
                                                          batch: options.batch),
                           listen: VigieConfig.Listen(host: "127.0.0.1", port: 0), databasePath: databasePath,
                           rules: [], inventory: inventory, vehicleIDs: ids,
                           staleAfter: options.staleAfter, remoteTimeout: options.remoteTimeout, logLevel: "debug")
    }

    /// The runtime's settings for a configuration.
    static func settings(_ config: VigieConfig) -> RuntimeSettings {
        RuntimeSettings(host: config.listen.host, port: config.listen.port,
                        webhookSecret: config.callback.webhookSecret.reveal(), staleAfter: config.staleAfter,
                        remoteTimeout: config.remoteTimeout, commandsPerDay: config.budgets.commandsPerDay,
                        wakeUpsPerDay: config.budgets.wakeUpsPerDay, scope: "serve")
    }

    /// 32 random bytes, hex.
    static func randomSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}
