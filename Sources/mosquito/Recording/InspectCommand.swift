import ArgumentParser
import Foundation
import Recording

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarize a recording: devices, channels, duration, samples, gaps, calibration, clock quality.",
        discussion: """
            Reads only the metadata, the small tables and the first and last rows, so it is instant on any \
            file size, and works on a file still being recorded or left by a killed recorder.
            """)

    @Argument(help: "A recording written by `mosquito record --output FILE.h5`.") var file: String
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let summary: RecordingSummary
        let reader = try RecordingFile.open(file)
        do throws(RecordingError) {
            summary = try RecordingSummary(reading: reader)
        } catch {
            throw CLIError(error.description)
        }
        if json { try Console.json(summary) } else { FileHandle.standardOutput.write(Data(summary.text.utf8)) }
    }
}

enum RecordingFile {
    /// Opens a recording for reading; a missing file is said plainly rather than through HDF5's error stack.
    static func open(_ path: String) throws -> HDF5RecordingReader {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("cannot open recording \(path): no such file")
        }
        if isDirectory.boolValue { throw CLIError("cannot open recording \(path): it is a directory") }
        do throws(RecordingError) { return try HDF5RecordingReader(path: path) } catch {
            throw CLIError(error.description)
        }
    }
}
