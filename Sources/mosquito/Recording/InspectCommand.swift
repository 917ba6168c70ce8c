import ArgumentParser
import Foundation
import Recording

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarize a recording: devices, channels, duration, samples, gaps, calibration, clock quality.",
        discussion: """
            Reads only the metadata, the small tables and the first and last rows, so it is instant on any
            file size, and works on a file still being recorded or left by a killed recorder.
            """)

    @Argument(help: "A recording written by `mosquito record --output FILE.h5`.") var file: String
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let summary: RecordingSummary
        do throws(RecordingError) {
            summary = try RecordingSummary(reading: try HDF5RecordingReader(path: file))
        } catch {
            throw CLIError(error.description)
        }
        if json { try Console.json(summary) } else { FileHandle.standardOutput.write(Data(summary.text.utf8)) }
    }
}
