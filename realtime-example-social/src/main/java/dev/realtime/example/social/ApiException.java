package dev.realtime.example.social;

/** An API request the app refuses, with the status to answer and, for 422, the field at fault. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    private ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message, null);
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(422, message, field);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
