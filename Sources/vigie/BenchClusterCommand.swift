import ArgumentParser
import Foundation
import VigieBench

/// `vigie bench cluster`: maps flags to `ClusterBenchmark.Options`, runs it, prints the figures.
struct BenchClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Takeover and partition restore times on PostgreSQL (partition leases, fenced commits).",
        discussion: """
            Run it from a release build against a PostgreSQL server whose user may create databases:
            .build/release/vigie bench cluster --postgres postgres://vigie@127.0.0.1:5432/postgres
            A fresh database is made for the run and dropped at the end (docs/cluster.md, BENCHMARKS.md).
            """
    )

    @Option(help: ArgumentHelp("The PostgreSQL server (its user needs CREATEDB).", valueName: "postgres://USER@HOST:PORT/DB"))
    var postgres: String

    @Option(help: "Partitions (P).")
    var partitions = 16

    @Option(help: "Vehicles in the partition taken over.")
    var vehicles = 8_000

    @Option(help: "The lease time, seconds.")
    var lease = 5.0

    @Option(help: "Takeovers to measure.")
    var rounds = 5

    @Option(help: "Unprocessed notifications of the partition at takeover.")
    var backlog = 2_000

    func validate() throws {
        guard partitions > 0, vehicles > 0, rounds > 0, backlog >= 0, lease > 0, lease.isFinite else {
            throw ValidationError("--partitions, --vehicles, --rounds and --lease must be positive, --backlog >= 0")
        }
    }

    func run() async throws {
        var options = ClusterBenchmark.Options(postgresURL: postgres)
        options.partitions = partitions
        options.vehiclesPerPartition = vehicles
        options.lease = lease
        options.rounds = rounds
        options.backlog = backlog
        do {
            let result = try await ClusterBenchmark.run(options)
            print(ClusterBenchmark.report(result, options: options), terminator: "")
            if result.rounds.contains(where: { !$0.staleRefused }) { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
