/// The list of every diagnostic code. Entries live in `DiagnosticCodeCatalog+Loading`
/// (YAML, limits, structure) and `DiagnosticCodeCatalog+Checking` (expressions,
/// values, actions, warnings).
enum DiagnosticCodeCatalog {
    static let all: [DiagnosticCode] = loading + structure + expressions + values + actions + warnings
    static let byID: [String: DiagnosticCode] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// A minimal valid file around one rule body (indented as a rule-list item).
    static func file(_ rule: String = defaultRule, top: String = "") -> String {
        "vigie: 1\nbundle: demo\n" + top + "rules:\n" + rule
    }

    static let defaultRule = """
          - id: low-battery
            when: battery.level < 20 %
            then:
              - notify: "battery at {{battery.level}} %"

        """

    static func rule(when: String = "battery.level < 20 %", extra: String = "",
                     then: String = "      - notify: \"battery at {{battery.level}} %\"\n") -> String {
        "  - id: low-battery\n    when: \(when)\n" + extra + "    then:\n" + then
    }

    static let fileTooLarge = DiagnosticCode(
        "file-too-large", .error, "The file is larger than 4 MiB; it is refused before parsing.",
        triggering: file(), nonTriggering: file())
}
