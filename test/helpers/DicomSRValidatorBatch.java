// Runs PixelMed's DicomSRValidator on many files in one JVM (a JVM start per file costs seconds).
// Usage: java -cp <pixelmed classpath> DicomSRValidatorBatch.java FILE...
// Prints "=== FILE <path>" before each file's validator output.
import com.pixelmed.validate.DicomSRValidator;

public class DicomSRValidatorBatch {
    public static void main(String[] args) throws Exception {
        DicomSRValidator validator = new DicomSRValidator();
        for (String path : args) {
            System.out.println("=== FILE " + path);
            try {
                System.out.print(validator.validate(path));
            } catch (Exception e) {
                System.out.println("Error: validator failed: " + e);
            }
            System.out.println();
        }
    }
}
