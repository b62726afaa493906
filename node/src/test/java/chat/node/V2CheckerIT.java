package chat.node;

import org.junit.jupiter.api.Test;

/** The v2 checker (see {@link V2Checker}) against one node. */
class V2CheckerIT {
  @Test
  void underChurnEveryAnsweredMessageArrivesOnceInOrderWithGapFreeSeqs() throws Exception {
    new V2Checker(TestNode.shared().port, 6, 8_000).check("one node", 0, null);
  }
}
