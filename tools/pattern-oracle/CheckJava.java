// Checks src/schema/validate/pattern/java_cases.txt against java.util.regex, the
// engine CloudFormation matches `AllowedPattern` with. Prints each row whose
// expected result Java does not give, and exits 1 if there is one.
//
//   java tools/pattern-oracle/CheckJava.java src/schema/validate/pattern/java_cases.txt

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class CheckJava {
    public static void main(String[] args) throws Exception {
        int rows = 0, wrong = 0, lineNumber = 0;
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] cells = line.split("\t", -1);
            String actual;
            try {
                actual = Boolean.toString(Pattern.compile(unescape(cells[0])).matcher(unescape(cells[1])).matches());
            } catch (PatternSyntaxException e) {
                actual = "invalid";
            }
            rows++;
            if (!actual.equals(cells[2])) {
                wrong++;
                System.out.println("line " + lineNumber + ": " + line + " -> Java says " + actual);
            }
        }
        System.out.println(rows + " rows, " + wrong + " wrong");
        System.exit(wrong == 0 ? 0 : 1);
    }

    /** `%n`, `%r`, `%t`, `%uXXXX` and `%%`. */
    static String unescape(String cell) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c != '%') { out.append(c); continue; }
            char next = cell.charAt(++i);
            switch (next) {
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case '%': out.append('%'); break;
                case 'u': out.append((char) Integer.parseInt(cell.substring(i + 1, i + 5), 16)); i += 4; break;
                default: throw new IllegalArgumentException("unknown escape %" + next);
            }
        }
        return out.toString();
    }
}
