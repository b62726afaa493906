package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Setting;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

/**
 * The defaults that the README's tables and --help print are copies for readers; the one that
 * counts is each setting's constant. These hold the copies to it.
 */
class DocumentedDefaultsTest {
  private static final Pattern NAME = Pattern.compile("CHAT_[A-Z0-9_]+");
  private static final Pattern QUOTED = Pattern.compile("^`([^`]*)`");

  private final Map<String, Setting> settings = NodeConfigTest.allSettings().stream()
      .collect(Collectors.toMap(Setting::name, Function.identity(), (a, b) -> a));

  @Test
  void theReadmeTablesGiveEachNumberAndFlagItsDefault() throws Exception {
    List<String> checked = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("../README.md"))) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("| `CHAT_") || cells.length < 3) {
        continue;
      }
      List<String> names = NAME.matcher(cells[1]).results().map(java.util.regex.MatchResult::group).toList();
      String[] values = cells[2].trim().split(" / ");
      for (int i = 0; i < names.size() && names.size() == values.length; i++) {
        Setting s = settings.get(names.get(i));
        Matcher quoted = QUOTED.matcher(values[i].trim());
        // text defaults are written for people (`127.0.0.1,::1`); numbers and flags must match exactly
        if (s != null && s.fallback() != null && !(s.fallback() instanceof String) && quoted.find()) {
          assertThat(quoted.group(1)).as(s.name()).isEqualTo(s.fallback().toString());
          checked.add(s.name());
        }
      }
    }
    assertThat(checked).hasSizeGreaterThan(35);
  }

  @Test
  void theReadmeNamesEverySetting() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(settings.keySet()).allSatisfy(name -> assertThat(readme).as(name).contains("`" + name + "`"));
  }

  @Test
  void theHelpTextGivesEachOptionItsDefault() {
    Pattern described = Pattern.compile("(CHAT_[A-Z0-9_]+), default ([^;\\s]+)");
    int checked = 0;
    for (Field f : Main.class.getDeclaredFields()) {
      Option option = f.getAnnotation(Option.class);
      Matcher m = option == null ? null : described.matcher(String.join(" ", option.description()));
      if (m != null && m.find() && settings.get(m.group(1)).fallback() != null) {
        assertThat(m.group(2)).as(m.group(1)).isEqualTo(settings.get(m.group(1)).fallback().toString());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(8);
  }
}
