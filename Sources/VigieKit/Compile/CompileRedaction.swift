import MonitorCompiler

/// What `vigie compile --format text` never prints of a B2B callback URL (`--callback-url`): the
/// receiver's secret (the path segment after `webhook`, as `vigie serve` builds its
/// target `publicURL/webhook/<secret>`), a password in the URL's user info, and the value
/// of a query parameter named like a credential (`token`, `secret`, `key`, …). Each is
/// shown as `<redacted>`. The monitors' labels keep the hash of the real body (what
/// `vigie plan` compares with), so only the printed target changes. `--format json` is
/// the artefact — each body exactly as POSTed (DESIGN.md) — and is not redacted.
enum CompileRedaction {
    static let placeholder = "<redacted>"
    static let credentialWords = ["secret", "token", "key", "password", "passwd", "pwd", "sig", "auth", "credential"]

    static func redact(_ compilation: Compilation) -> Compilation {
        var out = compilation
        for v in out.vehicles.indices {
            for m in out.vehicles[v].monitors.indices {
                if let target = out.vehicles[v].monitors[m].monitor.subscribeParam?.callback?.webhook.target {
                    out.vehicles[v].monitors[m].monitor.subscribeParam?.callback?.webhook.target = redact(url: target)
                }
            }
        }
        return out
    }

    /// `scheme://user:pass@host/a/webhook/s3cret?token=t#f` →
    /// `scheme://user:<redacted>@host/a/webhook/<redacted>?token=<redacted>#f`.
    static func redact(url: String) -> String {
        var rest = Substring(url)
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[hash...])
            rest = rest[..<hash]
        }
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            query = redactQuery(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        var head = "", path = rest
        if let scheme = rest.range(of: "://") {
            let authorityEnd = rest[scheme.upperBound...].firstIndex(of: "/") ?? rest.endIndex
            head = String(rest[..<scheme.upperBound]) + redactAuthority(rest[scheme.upperBound..<authorityEnd])
            path = rest[authorityEnd...]
        }
        return head + redactPath(path) + (query.map { "?" + $0 } ?? "") + fragment
    }

    private static func redactAuthority(_ authority: Substring) -> String {
        guard let at = authority.lastIndex(of: "@") else { return String(authority) }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return String(authority) }
        return String(userInfo[...colon]) + placeholder + String(authority[at...])
    }

    private static func redactPath(_ path: Substring) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for i in segments.indices.dropFirst() where segments[i - 1].lowercased() == "webhook" && !segments[i].isEmpty {
            segments[i] = placeholder
        }
        return segments.joined(separator: "/")
    }

    private static func redactQuery(_ query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<eq].lowercased()
            return credentialWords.contains(where: name.contains) ? String(pair[...eq]) + placeholder : String(pair)
        }.joined(separator: "&")
    }
}
