"""Publication (一公开): the public record of reviewed checks, the public portal and the open data."""
