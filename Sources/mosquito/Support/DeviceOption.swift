import ArgumentParser
import Device

/// `--device URI`, parsed and checked before anything is opened.
struct DeviceOption: ParsableArguments {
    @Option(name: .long, help: "Instrument: sim[?options], serial:/dev/ttyACM0, usb:1209:0001[:SERIAL], replay:FILE.h5[#SERIAL][:SPEED] (a recording as a device: its first device unless #SERIAL; SPEED 1 real time, 0 fastest)")
    var device: String = "sim"

    func uri() throws -> DeviceURI {
        do throws(DeviceURIError) { return try DeviceURI(parsing: device) } catch { throw CLIError(error.description) }
    }

    func openSession(timeoutMs: Int = 1000) throws -> DeviceSession {
        let parsed = try uri()
        do throws(DeviceError) {
            return try Openers.standard.openSession(parsed, requestTimeoutMs: timeoutMs)
        } catch {
            throw CLIError.opening(device, error)
        }
    }
}

extension CLIError {
    /// An instrument that could not be opened, named once: a bad URI's message already quotes the URI.
    static func opening(_ device: String, _ error: DeviceError) -> CLIError {
        if case .uri = error { return CLIError(error.description) }
        return CLIError("\(device): \(error.description)")
    }
}

/// The one place the CLI decides which transports exist in this build.
enum Openers {
    static let standard: DeviceOpener = {
        var opener = DeviceOpener()
        Registrations.all(&opener)
        return opener
    }()
}
