import Foundation
import Synchronization

/// Logged-in browsers: a random session id (the HttpOnly cookie) → its CSRF token and
/// expiry. In memory: a restart logs everyone out.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var csrf: String
        var expires: Date
        /// A short random name shown as who asked (never the id: that is the secret).
        var label: String
    }

    private let sessions = Mutex<[String: Session]>([:])

    /// A new session; returns its id and CSRF token.
    func create(now: Date, lifetime: TimeInterval) -> (id: String, csrf: String) {
        let id = Self.randomToken()
        let csrf = Self.randomToken()
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            all[id] = Session(csrf: csrf, expires: now.addingTimeInterval(lifetime), label: String(Self.randomToken().prefix(8)))
        }
        return (id, csrf)
    }

    func lookup(_ id: String, now: Date) -> Session? {
        sessions.withLock { all in
            guard let session = all[id] else { return nil }
            guard session.expires > now else {
                all[id] = nil
                return nil
            }
            return session
        }
    }

    func remove(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares in time independent of where the strings differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}
