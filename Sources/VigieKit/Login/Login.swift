import Foundation
import Logging
import StellantisAPI
import StellantisModels
import VehicleData
import VigieRuntime

/// `vigie login` and `vigie logout`: starting, inspecting and ending the B2C session
/// (docs/login.md). Exit codes: 0 ok, 1 an error (configuration, B2B, refused code, no
/// session for `--status`), 64 a usage error. No token, code, verifier nor client secret
/// is ever printed.
package enum Login {
    package static let usageExit: Int32 = 64

    /// Signs in: prints the authorization URL, reads the redirect URL (or code) from standard
    /// input, checks its `state`, exchanges the code (PKCE) and saves the tokens (0600). With
    /// `--code` / `--redirect-url`, finishes the sign-in a previous run started instead.
    package static func login(_ options: LoginOptions, console: LoginConsole = .standard) async -> Int32 {
        if let usage = usageError(options) {
            console.err("error: \(usage)\n")
            return usageExit
        }
        if options.status { return status(options, console: console) }
        let context: LoginContext
        switch LoginContext.open(options, console, command: "vigie login") {
        case .success(let opened): context = opened
        case .failure(let exit): return exit.code
        }
        do {
            let (authorization, pasted) = try await authorizationAndAnswer(options, context, console)
            let code: String
            do {
                code = try authorization.code(fromPasted: pasted)
            } catch {
                console.err("error: \(error)\n")
                return 1
            }
            try await exchange(code, authorization, context, console)
            return 0
        } catch let exit as LoginExit {
            return exit.code
        } catch {
            console.err("error: \(error)\n")
            return 1
        }
    }

    /// The flag combinations that make no sense; nil when fine.
    static func usageError(_ options: LoginOptions) -> String? {
        if options.code != nil, options.redirectURL != nil { return "give --code or --redirect-url, not both" }
        if options.status, options.code != nil || options.redirectURL != nil || options.noInput {
            return "--status takes no --code, --redirect-url nor --no-input"
        }
        if options.noInput, !options.status, options.code == nil, options.redirectURL == nil {
            return "--no-input needs --code or --redirect-url (the answer of a sign-in `vigie login` started)"
        }
        if let url = options.redirectURL, URLComponents(string: url.trimmingCharacters(in: .whitespaces))?.query == nil,
           URLComponents(string: url.trimmingCharacters(in: .whitespaces))?.fragment == nil {
            return "--redirect-url takes the whole URL the browser was sent to (with ?code=…&state=…); use --code for a bare code"
        }
        if let code = options.code, code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "--code is empty" }
        return nil
    }

    /// The sign-in to finish and what the user gave for it: from the flags (the pending
    /// sign-in a previous run saved), or a new sign-in whose URL is printed and whose
    /// answer is read from standard input.
    private static func authorizationAndAnswer(_ options: LoginOptions, _ context: LoginContext,
                                               _ console: LoginConsole) async throws -> (OAuthAuthorization, String) {
        if let given = options.redirectURL ?? options.code {
            guard let pending = try context.pending.load() else {
                console.err("error: no sign-in in progress for \(context.tokenStorePath): run `vigie login "
                    + "\(context.configArgument)` first (it prints the URL to open and remembers its state)\n")
                throw LoginExit(1)
            }
            guard !pending.isStale() else {
                context.pending.delete()
                console.err("error: the sign-in started at \(timestamp(pending.createdAt)) is more than an hour old: "
                    + "run `vigie login \(context.configArgument)` again\n")
                throw LoginExit(1)
            }
            return (pending, given)
        }
        let authorization = OAuthAuthorization.start(authorizeURL: context.endpoints.authorizeURL,
                                                     clientID: context.config.api.clientID,
                                                     redirectURI: context.config.api.oauth.redirectURI,
                                                     scopes: context.config.api.oauth.scopes)
        try context.pending.save(authorization)
        console.out("""
            Open this URL in a browser and sign in with your \(brandName(context)) account:

              \(authorization.url.absoluteString)

            The site then sends the browser to \(authorization.redirectURI)?code=…
            (the page itself may fail to load: that is expected). Paste that whole address here:

            """)
        while let line = await console.readLine() {
            if !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return (authorization, line) }
        }
        console.err("error: standard input ended before a redirect URL was pasted. Finish this sign-in with "
            + "`vigie login \(context.configArgument) --redirect-url 'URL'` (within the hour), or run `vigie login` again\n")
        throw LoginExit(1)
    }

    /// Exchanges the code, saves the tokens, forgets the pending sign-in and says who signed in.
    private static func exchange(_ code: String, _ authorization: OAuthAuthorization, _ context: LoginContext,
                                 _ console: LoginConsole) async throws {
        let token: OAuthToken
        do {
            token = try await context.refresher().exchange(code: code, redirectURI: authorization.redirectURI,
                                                          codeVerifier: authorization.codeVerifier)
        } catch {
            context.pending.delete()  // the code is spent either way: a new sign-in is needed
            console.err("error: the authorization code was not accepted: \(error); run `vigie login "
                + "\(context.configArgument)` again\n")
            throw LoginExit(1)
        }
        guard let refresh = token.refreshToken, !refresh.isEmpty else {
            context.pending.delete()
            console.err("error: the token endpoint answered without a refresh token (check api.oauth.scopes)\n")
            throw LoginExit(1)
        }
        let expiresAt = Date().addingTimeInterval(Double(token.expiresIn ?? 3600))
        let previous = (try? context.tokenStore.load()).flatMap { $0 }
        try context.tokenStore.save(StoredTokens(accessToken: token.accessToken, refreshToken: refresh, expiresAt: expiresAt))
        context.pending.delete()
        let replaced = await revokeReplaced(previous, newRefreshToken: refresh, context)
        let who = await signedInUser(context)
        console.out("Signed in\(who.map { " as \($0)" } ?? ""). The access token is valid until \(timestamp(expiresAt)) "
            + "and is renewed with the refresh token; both are saved in \(context.tokenStorePath) (mode 0600).\n"
            + (replaced ? "The previous session was replaced and its refresh token revoked.\n" : ""))
    }

    /// A sign-in over an existing session: revokes the replaced refresh token (best effort,
    /// silently: the new session is saved either way). True when revoked.
    private static func revokeReplaced(_ previous: StoredTokens?, newRefreshToken: String, _ context: LoginContext) async -> Bool {
        guard let previous, !previous.refreshToken.isEmpty, previous.refreshToken != newRefreshToken else { return false }
        do {
            try await context.refresher(timeout: 10).revoke(previous.refreshToken, at: context.endpoints.revokeURL)
            return true
        } catch {
            return false
        }
    }

    /// The e-mail of the signed-in user (`GET /user`), nil when it cannot be read.
    private static func signedInUser(_ context: LoginContext) async -> String? {
        var logger = Logger(label: "vigie.login")
        logger.logLevel = .critical
        var config = context.config
        config.api.requestTimeout = min(config.api.requestTimeout, 10)  // a courtesy: never hold the sign-in long
        guard case .b2c(let client)? = try? config.makeAPIClient(logger: logger) else { return nil }
        let user = try? await client.user()
        try? await client.client.shutdown()
        return user?.email
    }

    static func brandName(_ context: LoginContext) -> String {
        guard let brand = context.config.api.brand ?? context.config.api.effectiveRealm.flatMap(Brand.init(realm:)) else {
            return "brand"
        }
        return brand == .ds ? "DS" : brand.rawValue.prefix(1).uppercased() + brand.rawValue.dropFirst()
    }

    static func timestamp(_ date: Date) -> String {
        RFC3339Time.formatUTC(date, fraction: .never)
    }
}
