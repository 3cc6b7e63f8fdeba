import Foundation
import LocalGovCLI

exit(LocalGov.run())
