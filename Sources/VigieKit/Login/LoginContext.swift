import AsyncHTTPClient
import Foundation
import StellantisAPI
import VigieRuntime

/// What `vigie login` / `vigie logout` need from a B2C configuration: the token store,
/// the pending sign-in file next to it, the OAuth2 endpoints and client credentials.
struct LoginContext: Sendable {
    let config: VigieConfig
    let configPath: String
    let tokenStore: FileTokenStore
    let pending: OAuthAuthorizationFile
    let endpoints: OAuthAuthorizationEndpoints
    let clientSecret: String

    var tokenStorePath: String { tokenStore.url.path }

    /// The token endpoint's client (code exchange, revocation); `timeout` at most
    /// `api.request_timeout`.
    func refresher(http: HTTPClient = .shared, timeout: Double = .infinity) -> OAuthRefresher {
        OAuthRefresher(tokenURL: endpoints.tokenURL, clientID: config.api.clientID, clientSecret: clientSecret,
                       httpClient: http, timeout: min(timeout, config.api.requestTimeout))
    }

    /// `--config FILE` as it can be typed again (quoted when needed).
    var configArgument: String {
        let safe = configPath.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-~".unicodeScalars.contains($0) }
        return "--config " + (safe ? configPath : "'" + configPath.replacingOccurrences(of: "'", with: "'\\''") + "'")
    }

    /// The context of `configPath`, or the exit code after printing why not: 64 when the
    /// file does not exist, 1 when it is wrong or is not a B2C configuration.
    static func open(_ options: LoginOptions, _ console: LoginConsole, command: String) -> Result<LoginContext, LoginExit> {
        guard FileManager.default.fileExists(atPath: options.configPath) else {
            console.err("error: no such configuration file: \(options.configPath)\n")
            return .failure(LoginExit(Login.usageExit))
        }
        let config: VigieConfig
        do {
            config = try VigieConfig.load(path: options.configPath, environment: options.environment)
        } catch let error as ConfigError {
            console.err(error.issues.map { issue in
                issue.line > 0 ? "\(issue.file):\(issue.line):\(issue.column): error: \(issue.message)\n"
                    : "\(issue.file): error: \(issue.message)\n"
            }.joined())
            return .failure(LoginExit(1))
        } catch {
            console.err("error: \(error)\n")
            return .failure(LoginExit(1))
        }
        guard config.api.kind == .b2c else {
            console.err("error: \(command) is for B2C configurations (api.kind: b2c); this one is B2B, whose HTTP Basic "
                + "authentication (client_id and client_secret) needs no session\n")
            return .failure(LoginExit(1))
        }
        guard let path = config.api.tokenStorePath, let endpoints = config.api.oauthEndpoints,
              let secret = config.api.clientSecret else {
            console.err("error: \(options.configPath): api.token_store, api.client_secret and api.brand (or api.token_url) "
                + "are needed to sign in\n")
            return .failure(LoginExit(1))
        }
        let url = URL(fileURLWithPath: path)
        return .success(LoginContext(config: config, configPath: options.configPath, tokenStore: FileTokenStore(url: url),
                                     pending: OAuthAuthorizationFile(tokenStore: url), endpoints: endpoints,
                                     clientSecret: secret.reveal()))
    }
}

/// An exit code carried as an error (ends a login step early).
struct LoginExit: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
