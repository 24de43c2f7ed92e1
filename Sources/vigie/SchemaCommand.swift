import ArgumentParser
import Foundation
import VigieKit

/// `vigie schema`: prints the JSON Schema of rule files (or, with a flag, the
/// reference tables docs/rule-language.md embeds).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of rule files (draft-07), for editors.",
        discussion: """
            The output is committed as schema/vigie-rules.schema.json. Point \
            yaml-language-server at it with a first line \
            `# yaml-language-server: $schema=<path or URL of the schema>` in a rule file.
            """
    )

    @Flag(help: "Print the catalog's fields as a Markdown table instead.")
    var fields = false

    @Flag(help: "Print the diagnostic codes as a Markdown table instead.")
    var diagnostics = false

    func validate() throws {
        if fields && diagnostics { throw ValidationError("--fields and --diagnostics cannot be combined") }
    }

    func run() throws {
        let text = fields ? SchemaReference.fieldsTable()
            : diagnostics ? SchemaReference.diagnosticsTable() : SchemaGenerator.text()
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
