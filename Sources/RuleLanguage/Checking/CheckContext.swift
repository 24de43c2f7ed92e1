/// State of checking one file: its text, the names the bundle defines, what rules
/// reference, and the diagnostics collected so far (one helper per finding kind).
struct CheckContext {
    let source: SourceText
    var diagnostics: [Diagnostic] = []
    var zones: [String: Zone] = [:]
    var zoneOrder: [String] = []
    var zoneRanges: [String: SourceRange] = [:]
    var schedules: [String: Schedule] = [:]
    var scheduleOrder: [String] = []
    var scheduleRanges: [String: SourceRange] = [:]
    var usedZones: Set<String> = []
    var usedSchedules: Set<String> = []
    var allowed: Set<String> = []
    /// Every notification channel named (`notify_to`, `notify: {to:}`), in file order.
    var channelReferences: [ChannelReference] = []
    /// Names declared with an error already reported: references to them stay silent.
    var invalidNames: Set<String> = []

    init(source: SourceText) { self.source = source }

    mutating func report(_ code: String, _ message: String, at range: SourceRange, notes: [String] = []) {
        let severity = DiagnosticCode.named(code)?.severity ?? .error
        diagnostics.append(Diagnostic(severity: severity, code: code, message: MessageText.oneLine(message), range: range,
                                      notes: notes.map(MessageText.oneLine)))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
