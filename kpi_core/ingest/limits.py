"""Size caps, checked before anything is decompressed or parsed.

The Streamlit config caps uploads too (server.maxUploadSize); these caps hold for the command
line and for every member of a ZIP.
"""

MAX_FILE_BYTES = 100 * 1024 * 1024  # one uploaded file
MAX_JSON_BYTES = 50 * 1024 * 1024  # JSON is parsed in memory, so it gets a tighter cap
MAX_JSON_VALUES = 4_000_000  # values (commas and brackets) in one JSON file: parsing costs memory per value
MAX_JSON_RECORDS = 500_000  # video records in one JSON file
MAX_ZIP_MEMBERS = 64
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024  # a ZIP's central directory, read before the ZIP is opened
MAX_ZIP_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all members together, as the ZIP declares them
MAX_COMPRESSION_RATIO = 200  # a member that expands more than this is treated as a zip bomb
MAX_COLUMNS = 1000
MAX_HEADER_BYTES = 1024 * 1024  # the header line must end within the first MB
MAX_JSON_DEPTH = 12
MAX_BROKEN_LINES = (
    100_000  # CSV lines that do not fit the header, before a file is refused (DuckDB records them slowly)
)
MAX_REJECTS_KEPT = 10_000  # per file; the count stays exact, the list is cut
