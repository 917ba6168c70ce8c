import ArgumentParser
import Foundation

/// A failure the user can act on: `Mosquito.main` prints it as one `Error: …` line on stderr and exits 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The run finished but something was lost or failed: the summary already said what; exit non-zero.
struct LossExit: Error, CustomStringConvertible {
    let description: String
}

enum Console {
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes a file whole or not at all (temporary file, then rename).
    static func writeAtomically(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Rewrites one status line in place on stderr (a terminal) or prints it whole (a pipe or file).
    static func status(_ text: String, final: Bool = false) {
        let tty = isatty(STDERR_FILENO) != 0
        let out = tty ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(out.utf8))
    }
}
