package org.geohazard.inference;

import java.io.IOException;
import java.nio.FloatBuffer;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.scene.Scene;
import org.geohazard.inference.scene.SceneWindow;

/** One window of a scene, letterboxed for its model and waiting for (or in) a run. */
record Tile(Scene<ServedModel> scene, Scene.Pass<ServedModel> pass, SceneWindow window, FloatBuffer input,
            Letterbox.Placement placement, long enqueuedNanos) {

  /** On a preprocessing thread: the window's pixels, letterboxed into a reusable input buffer of its model. */
  static Tile prepare(Scene<ServedModel> scene, Scene.Work<ServedModel> work) throws IOException,
      InvalidImageException {
    // Not serialised per scene: the windows of one large scene are decoded on every preprocessing thread at once.
    RgbImage image = work.pass().reader().read(work.window());
    ServedModel model = work.pass().model();
    // Direct, like the batch buffer: the copy into it is a plain memory copy, and a batch of one is handed
    // to ONNX Runtime as is. Each model's pool holds at most the windows read ahead of it.
    FloatBuffer input = model.takeInput();
    Letterbox.Placement placement = model.detector().letterbox().apply(image.rgb(), image.width(), image.height(),
        input, 0);
    return new Tile(scene, work.pass(), work.window(), input, placement, System.nanoTime());
  }
}
