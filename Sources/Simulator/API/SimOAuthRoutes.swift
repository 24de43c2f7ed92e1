import Foundation
import Hummingbird
import VehicleData

/// OAuth2 for the B2C API: `GET /oauth2/authorize` (auto-approves the first user and
/// redirects with a code), `POST /oauth2/access_token` (`authorization_code` and
/// `refresh_token` grants; refresh tokens rotate), `POST /oauth2/token/revoke`; and the
/// `/sim/v1` control endpoints (vehicle list, expiring every token).
struct SimOAuthRoutes: Sendable {
    let core: SimCore

    func register(on router: Router<BasicRequestContext>) {
        router.get("oauth2/authorize") { request, _ -> Response in
            let q = request.uri.queryParameters
            let clientId = q.get("client_id") ?? ""
            let state = q.get("state").map { [URLQueryItem(name: "state", value: $0)] } ?? []
            let method = q.get("code_challenge_method") ?? "plain"
            if q.get("code_challenge") != nil, method != "S256", let redirect = q.get("redirect_uri"),
               var url = URLComponents(string: redirect) {
                url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "error", value: "invalid_request"),
                    URLQueryItem(name: "error_description", value: "only code_challenge_method S256 is supported")] + state
                return Response(status: .found, headers: [.location: url.string ?? redirect])
            }
            let code = await core.authorizationCode(clientId: clientId, challenge: q.get("code_challenge"),
                                                    redirectURI: q.get("redirect_uri"))
            guard let redirect = q.get("redirect_uri"), var url = URLComponents(string: redirect) else {
                return SimHTTP.response(200, .object(["code": .string(code)]), contentType: "application/json")
            }
            url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "code", value: code)] + state
            return Response(status: .found, headers: [.location: url.string ?? redirect])
        }
        router.post("oauth2/access_token") { request, _ -> Response in
            let form = await Self.form(request)
            let answer = form["grant_type"] == "authorization_code" ? await core.codeGrant(form) : await core.tokenGrant(form)
            switch answer {
            case .success(let t):
                return SimHTTP.response(200, .object([
                    "access_token": .string(t.access), "refresh_token": .string(t.refresh), "token_type": .string("Bearer"),
                    "expires_in": .number(Double(t.expiresIn)), "scope": .string("openid profile"),
                ]), contentType: "application/json")
            case .failure(let e):
                let code = e.status == 401 ? "invalid_client" : e.message.split(separator: ":").first.map(String.init) ?? "invalid_request"
                return SimHTTP.response(e.status, .object(["error": .string(code), "error_description": .string(e.message)]),
                                        contentType: "application/json")
            }
        }
        router.post("oauth2/token/revoke") { request, _ -> Response in
            let form = await Self.form(request)
            if let token = form["token"] { await core.revoke(token) }
            return Response(status: .ok)
        }
        router.get("sim/v1/vehicles") { _, _ -> Response in
            SimHTTP.response(200, await core.inventory(), contentType: "application/json")
        }
        router.post("sim/v1/tokens/expire") { _, _ -> Response in
            await core.expireTokens()
            return Response(status: .noContent)
        }
    }

    /// Form fields from an `application/x-www-form-urlencoded` body, then the query.
    static func form(_ request: Request) async -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { out[String(k)] = String(v) }
        if let buffer = try? await request.body.collect(upTo: 64 * 1024), buffer.readableBytes > 0 {
            var c = URLComponents()
            c.percentEncodedQuery = String(decoding: buffer.readableBytesView, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
            for item in c.queryItems ?? [] { out[item.name] = item.value ?? "" }
        }
        return out
    }
}

extension SimCore {
    /// `/authorize` with PKCE: a code for the first user bound to `challenge` and `redirectURI`.
    package func authorizationCode(user: String = SimWorld.firstUser, clientId: String, challenge: String?,
                                  redirectURI: String?) -> String {
        tokens.issueCode(user: user, clientId: clientId, challenge: challenge, redirectURI: redirectURI, now: wallClock())
    }

    /// The `authorization_code` grant: the client (id, and secret when the form carries it),
    /// then the code, its expiry, its PKCE verifier and its redirect URI.
    package func codeGrant(_ form: [String: String]) -> Result<(access: String, refresh: String, expiresIn: Int), SimAPIError> {
        guard let clientId = form["client_id"], clientId == config.clientId else {
            return .failure(.unauthorized("invalid_client"))
        }
        if let secret = form["client_secret"], secret != config.clientSecret { return .failure(.unauthorized("invalid_client")) }
        guard let code = form["code"] else { return .failure(.invalid("invalid_request: no code")) }
        return tokens.redeem(code: code, clientId: clientId, verifier: form["code_verifier"],
                             redirectURI: form["redirect_uri"], now: wallClock())
    }

    /// Makes every pending authorization code expired (tests).
    package func expireAuthorizationCodes() { tokens.expireCodes() }

    /// Whether `refreshToken` would still be accepted by the refresh grant (tests).
    package func acceptsRefreshToken(_ refreshToken: String) -> Bool { tokens.knowsRefreshToken(refreshToken) }

    /// `GET /sim/v1/vehicles`: every vehicle with its VIN, API id, owner and place names.
    package func inventory() -> JSONValue {
        .object(["now": .string(SimTimestamp.format(now)), "fleetId": .string(config.fleetId),
                 "vehicles": .array(world.vehicles.map { v in
            .object(["vin": .string(v.vin), "id": .string(v.profile.id), "owner": .string(v.owner),
                     "brand": .string(v.profile.brand), "model": .string(v.profile.model),
                     "motorization": .string(v.profile.motorization.rawValue),
                     "places": .array(v.places.map { .string($0.name) })])
        })])
    }
}
