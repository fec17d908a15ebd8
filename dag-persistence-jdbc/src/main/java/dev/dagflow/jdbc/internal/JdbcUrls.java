package dev.dagflow.jdbc.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** JDBC URLs as they may be shown in messages and logs: without a password. */
public final class JdbcUrls {
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)((?:password|pwd|passwd)=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;]*):[^@/?;]*@");
  private static final String[] URL_GETTERS = {"getJdbcUrl", "getUrl", "getURL"};

  private JdbcUrls() {}

  /** {@code url} with the value of every password parameter and user-info password hidden. */
  public static String withoutPassword(String url) {
    String hidden = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(hidden).replaceAll("$1:***@");
  }

  /**
   * The URL of {@code dataSource}, without its password, as far as can be told without a
   * connection: the value of a public {@code getJdbcUrl}, {@code getUrl} or {@code getURL} (as
   * HikariCP's and the drivers' data sources have); else its class name.
   */
  public static String describe(DataSource dataSource) {
    for (String getter : URL_GETTERS) {
      try {
        Method method = dataSource.getClass().getMethod(getter);
        if (method.getReturnType() == String.class && Modifier.isPublic(method.getModifiers())) {
          Object url = method.invoke(dataSource);
          if (url instanceof String s && !s.isBlank()) {
            return withoutPassword(s);
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not a bean property of this data source: try the next name
      }
    }
    return "the data source " + dataSource.getClass().getName();
  }
}
