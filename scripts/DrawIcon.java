import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the FaceToon Studio icon: a friendly cartoon face on a rounded tile, with a sparkle for the
 * "toon" effect. Run from the repository root with {@code java scripts/DrawIcon.java}; it writes
 * {@code assets/icons/facetoon-256.png} and {@code facetoon-512.png}. The drawing is defined on a
 * 100x100 grid and scaled, so both sizes are the same picture.
 */
public final class DrawIcon {

    private static final Color TILE_TOP = new Color(0x6C5CE7);
    private static final Color TILE_BOTTOM = new Color(0x00B4D8);
    private static final Color SKIN = new Color(0xFFD8A8);
    private static final Color SKIN_SHADE = new Color(0xF4B67A);
    private static final Color HAIR = new Color(0x3D2C5E);
    private static final Color INK = new Color(0x26203A);
    private static final Color CHEEK = new Color(0xFF7B9C);
    private static final Color SPARKLE = new Color(0xFFE66D);

    private DrawIcon() {}

    public static void main(String[] args) throws IOException {
        File dir = new File(args.length > 0 ? args[0] : "assets/icons");
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        for (int size : new int[] {256, 512}) {
            File file = new File(dir, "facetoon-" + size + ".png");
            ImageIO.write(draw(size), "png", file);
            System.out.println("wrote " + file);
        }
    }

    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 100.0, size / 100.0);

        // Tile: rounded square with a diagonal gradient.
        g.setPaint(new GradientPaint(0, 0, TILE_TOP, 100, 100, TILE_BOTTOM));
        g.fill(new RoundRectangle2D.Double(4, 4, 92, 92, 26, 26));

        // Face with a soft shade on the lower right, then the outline (cartoon ink).
        Ellipse2D face = new Ellipse2D.Double(20, 22, 60, 62);
        g.setColor(SKIN_SHADE);
        g.fill(face);
        g.setColor(SKIN);
        g.fill(new Ellipse2D.Double(19, 21, 58, 59));
        g.setColor(INK);
        g.setStroke(new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(face);

        // Hair: a fringe over the top of the head with a curl.
        GeneralPath hair = new GeneralPath();
        hair.moveTo(21, 46);
        hair.curveTo(17, 22, 45, 12, 60, 19);
        hair.curveTo(72, 22, 82, 32, 79, 47);
        hair.curveTo(70, 38, 60, 34, 52, 37);
        hair.curveTo(46, 31, 38, 32, 33, 37);
        hair.curveTo(28, 38, 24, 41, 21, 46);
        hair.closePath();
        g.setColor(HAIR);
        g.fill(hair);
        g.setColor(INK);
        g.draw(hair);
        g.setColor(HAIR);
        g.setStroke(new BasicStroke(3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Arc2D.Double(47, 9, 12, 12, 200, 250, Arc2D.OPEN));

        // Eyes: big ovals with highlights.
        for (double x : new double[] {34, 56}) {
            g.setColor(INK);
            g.fill(new Ellipse2D.Double(x, 45, 10, 13));
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(x + 5.2, 47, 3.6, 4.2));
            g.fill(new Ellipse2D.Double(x + 2.2, 53.5, 1.8, 1.8));
        }

        // Cheeks.
        g.setColor(new Color(CHEEK.getRed(), CHEEK.getGreen(), CHEEK.getBlue(), 150));
        g.fill(new Ellipse2D.Double(25, 59, 10, 6));
        g.fill(new Ellipse2D.Double(65, 59, 10, 6));

        // Smile: an open mouth with a tongue.
        GeneralPath mouth = new GeneralPath();
        mouth.moveTo(40, 64);
        mouth.curveTo(44, 76, 56, 76, 60, 64);
        mouth.closePath();
        g.setColor(INK);
        g.fill(mouth);
        g.setColor(CHEEK);
        g.fill(new Ellipse2D.Double(45.5, 69, 9, 5));
        g.setColor(INK);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(mouth);

        // Sparkle in the upper right corner: the "toon" magic.
        drawSparkle(g, 83, 18, 9);
        drawSparkle(g, 88, 33, 4);
        g.dispose();
        return img;
    }

    private static void drawSparkle(Graphics2D g, double cx, double cy, double r) {
        GeneralPath star = new GeneralPath();
        double w = r * 0.28;
        star.moveTo(cx, cy - r);
        star.quadTo(cx + w, cy - w, cx + r, cy);
        star.quadTo(cx + w, cy + w, cx, cy + r);
        star.quadTo(cx - w, cy + w, cx - r, cy);
        star.quadTo(cx - w, cy - w, cx, cy - r);
        star.closePath();
        g.setColor(SPARKLE);
        g.fill(star);
        g.setColor(INK);
        g.setStroke(new BasicStroke((float) Math.max(0.8, r * 0.14), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(star);
    }
}
