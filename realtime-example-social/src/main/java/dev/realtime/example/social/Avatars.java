package dev.realtime.example.social;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Generated avatars ({@code /avatars/{username}.svg}): the initial on a colour of its own, nothing to download. */
@RestController
class Avatars {
    private static final String[] COLOURS = {"#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf"};

    static String url(String username) {
        return "/avatars/" + username + ".svg";
    }

    @GetMapping("/avatars/{username}.svg")
    ResponseEntity<String> avatar(@PathVariable String username) {
        String clean = username.replaceAll("[^A-Za-z0-9]", "");
        String initial = clean.isEmpty() ? "?" : clean.substring(0, 1).toUpperCase(java.util.Locale.ROOT);
        String colour = COLOURS[Math.floorMod(clean.hashCode(), COLOURS.length)];
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 40\" role=\"img\" aria-label=\"" + clean + "\">"
                + "<rect width=\"40\" height=\"40\" rx=\"20\" fill=\"" + colour + "\"/>"
                + "<text x=\"20\" y=\"26\" font-family=\"sans-serif\" font-size=\"18\" font-weight=\"bold\" fill=\"#fff\" "
                + "text-anchor=\"middle\">" + initial + "</text></svg>";
        return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1))).body(svg);
    }
}
