import Foundation
import StellantisAPI
import VigieRuntime

extension Login {
    /// `vigie login --status`: whether a session exists, when its access token expires and
    /// whether a refresh token is kept (never their values). Exit 0 with a session, 1 without.
    package static func status(_ options: LoginOptions, console: LoginConsole = .standard, now: Date = Date()) -> Int32 {
        let context: LoginContext
        switch LoginContext.open(options, console, command: "vigie login --status") {
        case .success(let opened): context = opened
        case .failure(let exit): return exit.code
        }
        let pending = (try? context.pending.load()).flatMap { $0 }.map { !$0.isStale(now: now) } ?? false
        let pendingNote = pending ? "A sign-in is in progress (started by `vigie login`, not finished yet).\n" : ""
        let tokens: StoredTokens?
        do {
            tokens = try context.tokenStore.load()
        } catch {
            console.err("error: \(error); run `vigie login \(context.configArgument)` to sign in again\n")
            return 1
        }
        guard let tokens else {
            console.out("No session: \(context.tokenStorePath) does not exist. Sign in with `vigie login \(context.configArgument)`.\n"
                + pendingNote)
            return 1
        }
        let left = tokens.expiresAt.timeIntervalSince(now)
        let access = left > 0
            ? "valid until \(timestamp(tokens.expiresAt)) (\(duration(left)) left)"
            : "expired at \(timestamp(tokens.expiresAt)) (renewed with the refresh token on the next call)"
        let refresh = tokens.refreshToken.isEmpty ? "missing: sign in again" : "present"
        console.out("Session: \(context.tokenStorePath)\nAccess token: \(access)\nRefresh token: \(refresh)\n" + pendingNote)
        return tokens.refreshToken.isEmpty ? 1 : 0
    }

    /// `vigie logout`: revokes the refresh token (and the access token) at the revocation
    /// endpoint — best effort, a failure is a warning — then deletes the token store and any
    /// pending sign-in. Exit 0, also when there was no session; 1 when the file cannot be deleted.
    package static func logout(_ options: LoginOptions, console: LoginConsole = .standard) async -> Int32 {
        let context: LoginContext
        switch LoginContext.open(options, console, command: "vigie logout") {
        case .success(let opened): context = opened
        case .failure(let exit): return exit.code
        }
        let hadPending = context.pending.delete()
        let tokens: StoredTokens?
        do {
            tokens = try context.tokenStore.load()
        } catch {
            console.err("warning: \(error): deleting it without revoking its tokens at the server\n")
            tokens = nil
        }
        guard FileManager.default.fileExists(atPath: context.tokenStorePath) else {
            console.out("No session to end (\(context.tokenStorePath) does not exist)"
                + (hadPending ? "; the sign-in in progress was abandoned.\n" : ".\n"))
            return 0
        }
        var revoked = false
        if let tokens {
            revoked = await revoke(tokens, context, console)
        }
        do {
            try context.tokenStore.delete()
        } catch {
            console.err("error: \(error)\n")
            return 1
        }
        console.out(revoked ? "Signed out: the refresh token was revoked and \(context.tokenStorePath) deleted.\n"
            : "Signed out locally: \(context.tokenStorePath) deleted (the server did not confirm the revocation).\n")
        return 0
    }

    /// Revokes the refresh token, then the access token; true when the refresh token's
    /// revocation was confirmed.
    private static func revoke(_ tokens: StoredTokens, _ context: LoginContext, _ console: LoginConsole) async -> Bool {
        let refresher = context.refresher(timeout: 10)  // best effort: never hold the sign-out long
        var confirmed = false
        do {
            try await refresher.revoke(tokens.refreshToken, hint: "refresh_token", at: context.endpoints.revokeURL)
            confirmed = true
        } catch {
            console.err("warning: the refresh token could not be revoked at \(context.endpoints.revokeURL.absoluteString): "
                + "\(error)\n")
        }
        if confirmed, tokens.expiresAt > Date() {
            // The access token would otherwise stay usable until it expires; a failure here is not worth a warning.
            try? await refresher.revoke(tokens.accessToken, hint: "access_token", at: context.endpoints.revokeURL)
        }
        return confirmed
    }

    /// `1 h 05 min`, `12 min`, `40 s`.
    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded(.down))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        let h = s / 3600, m = (s % 3600) / 60
        return h >= 48 ? "\(h / 24) days" : String(format: "%d h %02d min", h, m)
    }
}
