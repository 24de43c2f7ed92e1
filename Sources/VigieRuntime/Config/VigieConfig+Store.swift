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
        case postgres(url: Secret)
    }

    /// `store: {postgres: {url: …}}`; `database:` beside it is refused (one store only).
    mutating func readStore(_ node: Node, databaseGiven: Bool, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "store", allowed: ["postgres"]) else { return }
        guard let postgres = map["postgres"] else {
            // An unknown key was reported by `mapping`; an empty mapping names nothing.
            if (node.mapping?.count ?? 0) == 0 { r.fail(node, "store must name its kind: postgres (leave `store` out for the SQLite `database`)") }
            return
        }
        guard let settings = r.mapping(postgres, "store.postgres", allowed: ["url"]) else { return }
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
        store = .postgres(url: url)
    }
}
