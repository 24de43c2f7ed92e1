import ArgumentParser
import Foundation
import VigieKit

/// `vigie notify`: the notification channels' tools (docs/notifications.md).
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Work with the notification channels of a configuration.",
        subcommands: [NotifyTestCommand.self]
    )
}

/// `vigie notify test --config FILE [--channel NAME]`: maps flags and calls `NotifyTest.run`.
struct NotifyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test message through each notification channel.",
        discussion: """
            Sends one test message through every channel of notifications.channels (or only \
            --channel NAME) and prints one line per channel: delivered with the provider's \
            answer, or retryable / failed with the reason. Secrets are never printed. Exit \
            status: 0 every channel delivered, 1 one did not (or the configuration has \
            errors), 64 usage error (no such file or channel).
            """
    )

    @Option(help: "The configuration file (vigie.yaml).") var config: String
    @Option(help: "Test only this channel.") var channel: String?

    func run() async throws {
        let status = await NotifyTest.run(NotifyTest.Options(configPath: config, channel: channel), out: { line in
            print(line)
            fflush(nil)
        }, err: { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        })
        if status != 0 { throw ExitCode(status) }
    }
}
