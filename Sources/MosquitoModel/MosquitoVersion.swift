/// The release, as every recording's provenance, LSL description, MQTT meta and `--version` say it.
public enum MosquitoVersion {
    public static let string = "0.1.0"
}
