import Foundation
import LocalGovCLI

exit(await LocalGov.run())
