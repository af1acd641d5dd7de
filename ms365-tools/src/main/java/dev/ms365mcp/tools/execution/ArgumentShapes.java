package dev.ms365mcp.tools.execution;

import java.math.BigDecimal;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a value against the part of its JSON Schema a model can get wrong before Graph sees it: the type
 * (an array where one is wanted, rows of cells where Excel wants a 2-D array), enums, required members and
 * numeric ranges. Schemas without a type (prose bodies) pass; members the schema does not name pass too.
 */
final class ArgumentShapes {

    private ArgumentShapes() {
    }

    /** Throws an {@link InvalidArgumentException} naming {@code at} (e.g. {@code body.message.toRecipients}). */
    static void check(JsonNode schema, JsonNode value, String at) {
        if (value == null || value.isNull()) {
            return;
        }
        String type = schema.path("type").asString("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    throw wrong(at, schema, "an object", value);
                }
                for (JsonNode name : schema.path("required")) {
                    if (!value.has(name.asString())) {
                        throw new InvalidArgumentException("Argument '" + at + "' needs '" + name.asString() + "'"
                                + describe(schema.path("properties").path(name.asString())) + ".");
                    }
                }
                schema.path("properties").properties().forEach(e -> {
                    if (value.has(e.getKey())) {
                        check(e.getValue(), value.get(e.getKey()), at + "." + e.getKey());
                    }
                });
            }
            case "array" -> {
                if (!value.isArray()) {
                    throw wrong(at, schema, shape(schema), value);
                }
                JsonNode items = schema.path("items");
                for (int i = 0; i < value.size(); i++) {
                    check(items, value.get(i), at + "[" + i + "]");
                }
            }
            case "integer", "number" -> {
                if (!value.isNumber() || type.equals("integer") && !isIntegral(value)) {
                    throw wrong(at, schema, type.equals("integer") ? "a whole number" : "a number", value);
                }
                range(schema, value.decimalValue(), at);
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    throw wrong(at, schema, "true or false", value);
                }
            }
            case "string" -> {
                if (value.isContainer()) {
                    throw wrong(at, schema, "a string", value);
                }
            }
            default -> { }
        }
        if (schema.has("enum") && value.isString() && !inEnum(schema.path("enum"), value.asString())) {
            throw new InvalidArgumentException("Argument '" + at + "' must be one of " + schema.path("enum") + ", got "
                    + value + ".");
        }
    }

    /** Bounds of a number: the schema's minimum and maximum. */
    static void range(JsonNode schema, BigDecimal v, String at) {
        if (schema.has("minimum") && v.compareTo(schema.path("minimum").decimalValue()) < 0
                || schema.has("maximum") && v.compareTo(schema.path("maximum").decimalValue()) > 0) {
            throw new InvalidArgumentException("Argument '" + at + "' must be " + bounds(schema) + ", got "
                    + v.stripTrailingZeros().toPlainString() + ".");
        }
    }

    private static String bounds(JsonNode schema) {
        if (schema.has("minimum") && schema.has("maximum")) {
            return "from " + schema.path("minimum").asString() + " to " + schema.path("maximum").asString();
        }
        return schema.has("minimum") ? "at least " + schema.path("minimum").asString()
                : "at most " + schema.path("maximum").asString();
    }

    private static boolean isIntegral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return true;
        }
        BigDecimal d = v.decimalValue();
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static boolean inEnum(JsonNode values, String v) {
        for (JsonNode e : values) {
            if (e.asString().equalsIgnoreCase(v)) {
                return true;
            }
        }
        return false;
    }

    /** "an array of arrays" for Excel's 2-D values, "an array" otherwise. */
    private static String shape(JsonNode schema) {
        return "array".equals(schema.path("items").path("type").asString("")) ? "an array of arrays (rows of cells)"
                : "an array";
    }

    private static InvalidArgumentException wrong(String at, JsonNode schema, String expected, JsonNode value) {
        String got = value.isString() ? "a string" : value.isArray() ? "an array" : value.isObject() ? "an object"
                : value.isBoolean() ? "true/false" : value.isNumber() ? value.asString() : value.getNodeType().name()
                        .toLowerCase(Locale.ROOT);
        return new InvalidArgumentException("Argument '" + at + "' must be " + expected + describe(schema)
                + ", got " + got + ". Nothing was sent.");
    }

    private static String describe(JsonNode schema) {
        String d = schema instanceof ObjectNode o ? o.path("description").asString("") : "";
        return d.isEmpty() ? "" : " (" + d + ")";
    }
}
