// Reads a .properties file the way a Java app does (PropertyResourceBundle: UTF-8, or
// ISO-8859-1 when the bytes are not UTF-8) and prints each key and value on a line, tab
// separated, with every non-ASCII or control character as a backslash-u escape (4 hex digits).
// pipeline/catalogs/toolkit.py runs it on each translated .properties before writing it.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PropertyResourceBundle;

public class ReadProperties {
    public static void main(String[] args) throws Exception {
        try (InputStream in = new FileInputStream(args[0])) {
            PropertyResourceBundle bundle = new PropertyResourceBundle(in);
            List<String> keys = new ArrayList<>(bundle.keySet());
            Collections.sort(keys);
            StringBuilder out = new StringBuilder();
            for (String key : keys) {
                out.append(escape(key)).append('\t').append(escape(bundle.getString(key)))
                   .append('\n');
            }
            System.out.print(out);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c > 0x7e || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
