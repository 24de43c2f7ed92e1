import Foundation
import Hummingbird
import Logging
import NIOCore
import OutcomeStore
import ServiceLifecycle
import WebhookServer

/// The admin listener service (loopback by default, `admin.listen`): `/metrics`
/// (Prometheus text), `/healthz` (200 while the process and its store answer), `/readyz`
/// (503 with the reason while the API or the session is unavailable), and the control
/// API — `GET /api/v1/holds`, `POST /api/v1/pause`, `POST /api/v1/resume`, with the
/// selectors of `vigie pause` / `vigie resume` — which requires `Authorization: Bearer
/// <admin token>` (compared in constant time; no token configured: 403). It is the
/// first service of the group, so the last to stop: it answers until the end of shutdown.
struct AdminListener: Service {
    private let app: any Service
    private let address: String
    private let bound: Once<Int>

    init(settings: RuntimeSettings, sampler: GaugeSampler, control: AdminControl, access: APIAccess,
         bound: Once<Int>, logger: Logger, extraRoutes: [ServeRuntime.AdminRoutes] = []) {
        let router = Router()
        router.get("/healthz") { _, _ in
            do {
                try await sampler.ping()
                return AdminControl.json(.ok, ["status": "ok"])
            } catch {
                return AdminControl.json(.serviceUnavailable, ["status": "database unavailable: \(error)"])
            }
        }
        router.get("/readyz") { _, _ in
            let (ready, reason) = access.readiness
            return Self.text(ready ? .ok : .serviceUnavailable, ready ? "ready\n" : "not ready: \(reason ?? "unknown")\n")
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: await sampler.render())))
        }
        control.addRoutes(to: router)
        for add in extraRoutes { add(router) }   // the web console (docs/console.md)
        app = Application(router: router,
                          configuration: .init(address: .hostname(settings.adminHost, port: settings.adminPort),
                                               serverName: "vigie-admin"),
                          onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? 0)) },
                          logger: logger)
        address = "\(settings.adminHost):\(settings.adminPort)"
        self.bound = bound
    }

    func run() async throws {
        do {
            try await app.run()
        } catch {
            let failure = ServeError.listen(what: "admin listener", address: address, error)
            bound.resolve(.failure(failure))
            throw bound.current == nil ? failure : error
        }
        bound.resolve(.failure(ServeError.serverStopped))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
