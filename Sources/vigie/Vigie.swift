import ArgumentParser
import VigieKit

@main
struct Vigie: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigie",
        abstract: "Rules engine for Stellantis connected vehicles.",
        version: VigieVersion.current,
        subcommands: [
            BenchCommand.self,
            CompileCommand.self,
            ValidateCommand.self,
            SchemaCommand.self,
            DryRunCommand.self,
            TestCommand.self,
            LogCommand.self,
            ExplainCommand.self,
            SimCommand.self,
            PlanCommand.self,
            ApplyCommand.self,
            DemoCommand.self,
            NotifyCommand.self,
            PauseCommand.self,
            ResumeCommand.self,
            SendCommand.self,
            ServeCommand.self,
            LoginCommand.self,
            LogoutCommand.self,
            BackupCommand.self,
            MigrateCommand.self,
            DoctorCommand.self,
        ]
    )
}
