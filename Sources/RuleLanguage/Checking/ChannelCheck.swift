/// Checks the channel names a bundle gives (`notify_to`, `notify: {to:}`) against the
/// channels a configuration defines (`notifications.channels`): one `unknown-channel`
/// error per unknown name, at its place, with a did-you-mean. `vigie validate --config`
/// reports them; `serve`, `plan` and `apply` refuse to start with any.
public enum ChannelCheck {
    /// Adds the unknown-channel errors of every bundle of `result`, kept sorted.
    public static func apply(to result: inout ValidationResult, channels: [String], fileOrder: [String]) {
        let found = result.bundles.flatMap { diagnostics($0, channels: channels) }
        guard !found.isEmpty else { return }
        result.diagnostics = RuleValidator.sorted(result.diagnostics + found, fileOrder: fileOrder)
    }

    public static func diagnostics(_ bundle: CheckedBundle, channels: [String]) -> [Diagnostic] {
        bundle.channelReferences.filter { !channels.contains($0.name) }.map { reference in
            var notes = Suggestion.note(for: reference.name, in: channels)
            notes.append(channels.isEmpty ? "the configuration defines no notification channel (notifications.channels)"
                                          : "channels: " + channels.joined(separator: ", "))
            return Diagnostic(severity: .error, code: "unknown-channel",
                              message: "no notification channel named `\(reference.name)` in the configuration",
                              range: reference.range, notes: notes)
        }
    }
}
