import AsyncHTTPClient
import Foundation
import Notifications
import VigieRuntime

/// `vigie notify test --config FILE [--channel NAME]` (docs/notifications.md): sends one
/// test message through each configured channel (or the one named) and reports, per
/// channel, delivered with the provider's answer, or why not. Nothing is written to the
/// database; secrets never appear in what it prints.
package enum NotifyTest {
    package struct Options: Sendable {
        package var configPath: String
        package var channel: String?
        package var environment: [String: String]

        package init(configPath: String, channel: String? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.configPath = configPath
            self.channel = channel
            self.environment = environment
        }
    }

    /// One channel's outcome.
    package struct Outcome: Sendable, Hashable {
        package var channel: String
        package var kind: String
        package var result: DeliveryResult

        /// `delivered  phone (ntfy): ntfy message hwQ2YpKdmg`, `failed     ops (webhook): HTTP 404`.
        package var line: String {
            let status = result.status.padding(toLength: 10, withPad: " ", startingAt: 0)
            return "\(status) \(channel) (\(kind)): \(result.detail)"
        }
    }

    /// Runs the test; `out` gets one line per channel then a summary, `err` the problems
    /// that stop it. Exit status: 0 every channel delivered, 1 one did not (or the
    /// configuration is wrong), 64 usage (no such file, no such channel).
    package static func run(_ options: Options, client: HTTPClient = .shared, now: Date = Date(),
                           out: (String) -> Void, err: (String) -> Void) async -> Int32 {
        guard FileManager.default.fileExists(atPath: options.configPath) else {
            err("error: no such configuration file: \(options.configPath)")
            return 64
        }
        let config: VigieConfig
        do {
            config = try VigieConfig.load(path: options.configPath, environment: options.environment)
        } catch {
            err("\(error)")
            return 1
        }
        var channels = config.notifications.channels
        if let name = options.channel {
            guard let channel = config.notifications.channel(named: name) else {
                let known = config.notifications.names
                err("error: no channel named `\(name)` in \(options.configPath)"
                    + (known.isEmpty ? " (it configures none)" : " (channels: \(known.joined(separator: ", ")))"))
                return 64
            }
            channels = [channel]
        }
        guard !channels.isEmpty else {
            err("error: \(options.configPath) configures no notification channel (notifications.channels)")
            return 1
        }
        var failures = 0
        for configuration in channels {
            let outcome = await test(configuration, client: client, now: now)
            if outcome.result.status != "delivered" { failures += 1 }
            out(outcome.line)
        }
        out("\(channels.count - failures) delivered, \(failures) not delivered")
        return failures == 0 ? 0 : 1
    }

    /// Sends the test message through one channel.
    package static func test(_ configuration: ChannelConfiguration, client: HTTPClient = .shared,
                            now: Date = Date()) async -> Outcome {
        let kind = configuration.settings.kind
        let message = NotificationMessage(
            id: "vigie-test-\(UUID().uuidString.lowercased())", at: now, title: "Vigie test",
            text: "Test message from `vigie notify test` through channel \(configuration.name) "
                + "at \(WebhookPayload.rfc3339(now)).")
        do {
            let channel = try NotificationSender.channel(for: configuration, client: client)
            return Outcome(channel: configuration.name, kind: kind, result: await channel.deliver(message))
        } catch {
            return Outcome(channel: configuration.name, kind: kind, result: .failed(reason: "\(error)"))
        }
    }
}
